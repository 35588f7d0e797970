//! The hiring pipeline from the store: vacancies, stages and applications that move and get
//! rejected.

use std::collections::BTreeSet;

use serde_json::{Value, json};

use crate::common::{Harness, op};

async fn get_application(h: &Harness, id: &str) -> Value {
    let reply = h
        .call(op("get_application"), &format!("/applications/{id}"), None)
        .await;
    assert_eq!(reply.status, 200, "{:#}", reply.body);
    reply.body
}

#[tokio::test]
async fn the_pipeline_stages_are_the_stores() {
    let h = Harness::start().await;
    let reply = h
        .call(
            op("list_pipeline_stages"),
            "/pipeline/applications/stages",
            None,
        )
        .await;
    assert_eq!(reply.status, 200);
    let names: Vec<&str> = reply.body["stages"]
        .as_array()
        .expect("stages")
        .iter()
        .map(|s| s["name"].as_str().expect("name"))
        .collect();
    assert_eq!(names, ["Longlist", "Interview", "Offer", "Placed"]);
    let other = h
        .call(
            op("list_pipeline_stages"),
            "/pipeline/applications/stages?templateId=tpl_9",
            None,
        )
        .await;
    assert_eq!(other.body["stages"], json!([]));
}

#[tokio::test]
async fn a_move_changes_the_stage_get_application_shows() {
    let h = Harness::start().await;
    let before = get_application(&h, "app_1").await;
    assert_eq!(before["stage"]["id"], "pstage_1");
    assert_eq!(before["stage"]["name"], "Longlist");

    let moved = h
        .call(
            op("move_application"),
            "/applications/app_1/move",
            Some(json!({"stageId": "pstage_2", "statusId": "pstatus_2"})),
        )
        .await;
    assert_eq!(moved.status, 200, "{:#}", moved.body);

    let after = get_application(&h, "app_1").await;
    assert_eq!(after["stage"]["id"], "pstage_2");
    assert_eq!(after["stage"]["name"], "Interview");
    assert_eq!(after["stage"]["status"]["name"], "Second round");
    assert_eq!(after["latestActivity"]["type"], "stageChanged");
    // app_2 was already in Interview at position 1: app_1 goes after it.
    assert_eq!(after["position"], json!(2.0));

    // The list shows the new stage too, and the vacancy's totals count it.
    let list = h
        .call(op("list_applications"), "/applications?limit=50", None)
        .await;
    let item = list.body["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|a| a["id"] == "app_1")
        .cloned()
        .expect("app_1 listed");
    assert_eq!(item["stage"]["id"], "pstage_2");
    let vacancy = h.call(op("get_vacancy"), "/vacancies/vac_1", None).await;
    let interview = vacancy.body["stageTotals"]["totals"]
        .as_array()
        .expect("totals")
        .iter()
        .find(|t| t["id"] == "pstage_2")
        .cloned()
        .expect("Interview total");
    assert_eq!(interview["total"], 2);
}

#[tokio::test]
async fn a_move_to_an_unknown_stage_is_refused_and_changes_nothing() {
    let h = Harness::start().await;
    let reply = h
        .call(
            op("move_application"),
            "/applications/app_1/move",
            Some(json!({"stageId": "pstage_9"})),
        )
        .await;
    assert_eq!(reply.status, 404, "{:#}", reply.body);
    assert_eq!(reply.errors()[0]["path"], json!(["stageId"]));
    assert_eq!(reply.errors()[0]["received"], "pstage_9");
    assert_eq!(
        get_application(&h, "app_1").await["stage"]["id"],
        "pstage_1"
    );

    let status = h
        .call(
            op("move_application"),
            "/applications/app_1/move",
            Some(json!({"stageId": "pstage_3", "statusId": "pstatus_1"})),
        )
        .await;
    assert_eq!(
        status.status, 404,
        "pstatus_1 is a status of Interview, not Offer"
    );
    assert_eq!(status.errors()[0]["path"], json!(["statusId"]));

    let missing = h
        .call(
            op("move_application"),
            "/applications/app_9/move",
            Some(json!({"stageId": "pstage_2"})),
        )
        .await;
    assert_eq!(missing.status, 404);
    assert_eq!(missing.errors()[0]["path"], json!(["params", "id"]));
}

#[tokio::test]
async fn a_rejection_shows_on_the_application() {
    let h = Harness::start().await;
    assert_eq!(get_application(&h, "app_3").await["rejection"], Value::Null);
    let reply = h
        .call(
            op("reject_application"),
            "/applications/app_3/rejections",
            Some(json!({"reason": "Salary expectations"})),
        )
        .await;
    assert_eq!(reply.status, 201, "{:#}", reply.body);
    let rejection_id = reply.body["id"].as_str().expect("id").to_owned();

    let after = get_application(&h, "app_3").await;
    assert_eq!(after["rejection"]["id"], rejection_id.as_str());
    assert_eq!(after["rejection"]["applicationId"], "app_3");
    assert_eq!(after["rejection"]["reason"], "Salary expectations");
    assert_eq!(after["applicationState"]["state"], "rejected");

    // The candidate's list of applications shows it as well; the other stays untouched.
    let list = h
        .call(
            op("list_candidate_applications"),
            "/applications/candidate/cand_2",
            None,
        )
        .await;
    let by_id = |id: &str| {
        list.body["items"]
            .as_array()
            .expect("items")
            .iter()
            .find(|a| a["id"] == id)
            .cloned()
            .expect("listed")
    };
    assert_eq!(by_id("app_3")["rejection"]["reason"], "Salary expectations");
    assert_eq!(by_id("app_2")["rejection"], Value::Null);
}

#[tokio::test]
async fn a_created_vacancy_is_listed_and_got() {
    let h = Harness::start().await;
    let reply = h
        .call(
            op("create_vacancy"),
            "/vacancies?companyId=client_2",
            Some(json!({
                "status": "open",
                "name": "Data Engineer",
                "description": "Pipelines",
                "salaryRange": {"currency": "EUR", "min": 50000, "max": null},
                "location": {"city": "Berlin", "country": "Germany"},
                "startAt": null,
                "endAt": null,
                "teamUserIds": ["user_2"],
                "clientTeamUserIds": [],
            })),
        )
        .await;
    assert_eq!(reply.status, 201, "{:#}", reply.body);
    let id = reply.body["id"].as_str().expect("id").to_owned();

    let list = h
        .call(op("list_vacancies"), "/vacancies?limit=50", None)
        .await;
    assert_eq!(list.status, 200);
    let listed: Vec<&str> = list.body["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|v| v["id"].as_str().expect("id"))
        .collect();
    assert_eq!(listed, ["vac_1", "vac_2", id.as_str()]);
    assert_eq!(list.body["pageInfo"]["hasNextPage"], false);

    let got = h
        .call(op("get_vacancy"), &format!("/vacancies/{id}"), None)
        .await;
    assert_eq!(got.body["name"]["name"], "Data Engineer");
    assert_eq!(got.body["client"]["client"]["name"], "Globex");
    assert_eq!(got.body["team"]["team"][0]["name"], "Grace Hopper");
    assert_eq!(
        got.body["location"]["location"]["rawCityCountry"],
        "Berlin, Germany"
    );

    let unknown = h
        .call(
            op("create_vacancy"),
            "/vacancies?companyId=client_9",
            Some(json!({
                "status": "open", "name": "X", "description": "", "salaryRange": {},
                "location": {}, "startAt": null, "endAt": null,
                "teamUserIds": [], "clientTeamUserIds": [],
            })),
        )
        .await;
    assert_eq!(unknown.status, 404);
    assert_eq!(unknown.errors()[0]["path"], json!(["query", "companyId"]));
}

#[tokio::test]
async fn applications_page_with_pagination_cursor_and_has_more() {
    let h = Harness::start().await;
    let mut seen = Vec::new();
    let mut path = "/applications?limit=2".to_owned();
    let mut pages = 0;
    loop {
        let reply = h.call(op("list_applications"), &path, None).await;
        assert_eq!(reply.status, 200, "{:#}", reply.body);
        pages += 1;
        for item in reply.body["items"].as_array().expect("items") {
            seen.push(item["id"].as_str().expect("id").to_owned());
        }
        let pagination = &reply.body["pagination"];
        match pagination["cursor"].as_str() {
            Some(cursor) => {
                assert_eq!(pagination["hasMore"], true);
                path = format!("/applications?limit=2&cursor={cursor}");
            }
            None => {
                assert_eq!(pagination["hasMore"], false);
                break;
            }
        }
        assert!(pages < 10, "paging does not end");
    }
    assert_eq!(pages, 2);
    assert_eq!(seen, ["app_1", "app_2", "app_3"]);

    // A cursor of the applications list is foreign to the candidates list.
    let first = h
        .call(op("list_applications"), "/applications?limit=1", None)
        .await;
    let cursor = first.body["pagination"]["cursor"].as_str().expect("cursor");
    let reply = h
        .call(
            op("list_candidates"),
            &format!("/candidates?cursor={cursor}"),
            None,
        )
        .await;
    assert_eq!(reply.status, 400);
    let unique: BTreeSet<&String> = seen.iter().collect();
    assert_eq!(unique.len(), seen.len());
}

#[tokio::test]
async fn a_vacancys_applications_come_with_the_vacancy() {
    let h = Harness::start().await;
    let reply = h
        .call(
            op("list_vacancy_applications"),
            "/applications/vacancy/vac_1",
            None,
        )
        .await;
    assert_eq!(reply.status, 200);
    assert_eq!(reply.body["vacancy"]["id"], "vac_1");
    let ids: Vec<&str> = reply.body["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|a| a["id"].as_str().expect("id"))
        .collect();
    assert_eq!(ids, ["app_1", "app_2"]);
    assert_eq!(reply.body["items"][0]["candidate"]["firstName"], "Jane");
    let missing = h
        .call(
            op("list_vacancy_applications"),
            "/applications/vacancy/vac_9",
            None,
        )
        .await;
    assert_eq!(missing.status, 404);
}
