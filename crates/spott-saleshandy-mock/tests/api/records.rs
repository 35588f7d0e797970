//! Tasks, notes, clients, client contacts and users from the store.

use serde_json::{Value, json};

use crate::common::{Harness, op};

/// Every item of a cursor-paged Spott list at `path`, walking `limit` at a time.
async fn walk(h: &Harness, operation: &str, path: &str, limit: u32) -> Vec<Value> {
    let mut items = Vec::new();
    let mut cursor: Option<String> = None;
    for _ in 0..50 {
        let url = match &cursor {
            Some(c) => format!("{path}?limit={limit}&cursor={c}"),
            None => format!("{path}?limit={limit}"),
        };
        let reply = h.call(op(operation), &url, None).await;
        assert_eq!(reply.status, 200, "{:#}", reply.body);
        items.extend(
            reply.body["items"]
                .as_array()
                .expect("items")
                .iter()
                .cloned(),
        );
        match reply.body["pageInfo"]["nextCursor"].as_str() {
            Some(next) => cursor = Some(next.to_owned()),
            None => {
                assert_eq!(reply.body["pageInfo"]["hasNextPage"], false);
                return items;
            }
        }
    }
    panic!("{operation}: paging does not end");
}

fn ids(items: &[Value]) -> Vec<&str> {
    items
        .iter()
        .map(|i| i["id"].as_str().expect("id"))
        .collect()
}

#[tokio::test]
async fn a_created_task_is_listed_with_the_seeded_one() {
    let h = Harness::start().await;
    let mut created = Vec::new();
    for content in ["Call Jane", "Email John"] {
        let reply = h
            .call(
                op("create_task"),
                "/tasks/_raw",
                Some(json!({"content": content, "dueDate": null})),
            )
            .await;
        assert_eq!(reply.status, 201);
        created.push(reply.body["id"].as_str().expect("id").to_owned());
    }
    let items = walk(&h, "list_tasks", "/tasks", 1).await;
    let listed = ids(&items);
    assert_eq!(listed.len(), 3, "{listed:?}");
    assert_eq!(listed[0], "task_s1");
    for id in &created {
        assert_eq!(listed.iter().filter(|l| *l == id).count(), 1, "{listed:?}");
    }
    let call_jane = items
        .iter()
        .find(|t| t["id"] == created[0].as_str())
        .expect("listed");
    assert_eq!(call_jane["content"], "Call Jane");
    assert_eq!(
        items[0]["links"]["vacancies"][0]["name"],
        "Backend Engineer"
    );
}

#[tokio::test]
async fn a_created_note_is_listed() {
    let h = Harness::start().await;
    let reply = h
        .call(
            op("create_note"),
            "/notes",
            Some(json!({
                "content": "Wants remote work",
                "title": "Screening",
                "links": [{"entityType": "candidate", "entityId": "cand_2"}],
                "labelIds": ["label_1"],
            })),
        )
        .await;
    assert_eq!(reply.status, 201, "{:#}", reply.body);
    let id = reply.body["id"].as_str().expect("id").to_owned();
    assert_eq!(reply.body["links"][0]["candidate"]["firstName"], "John");
    assert_eq!(reply.body["source"], "manual");

    let items = walk(&h, "list_notes", "/notes", 1).await;
    assert_eq!(ids(&items), ["note_s1", id.as_str()]);
    assert_eq!(items[1]["content"], "Wants remote work");
    assert_eq!(items[1]["labels"], json!([{"id": "label_1"}]));
}

#[tokio::test]
async fn clients_are_listed_and_got_with_their_contacts() {
    let h = Harness::start().await;
    let items = walk(&h, "list_clients", "/clients", 1).await;
    let mut listed = ids(&items);
    listed.sort_unstable();
    assert_eq!(listed, ["client_1", "client_2"]);

    let acme = h.call(op("get_client"), "/clients/client_1", None).await;
    assert_eq!(acme.status, 200);
    assert_eq!(acme.body["name"]["name"], "Acme Corp");
    let contacts = &acme.body["contacts"]["contacts"];
    assert_eq!(contacts[0]["candidateId"], "cand_1");
    assert_eq!(
        contacts[0]["emailAddresses"][0]["emailAddress"],
        "jsmith@example.com"
    );
    assert_eq!(acme.body["nextTaskDue"]["nextTaskDue"]["id"], "task_s1");

    let missing = h.call(op("get_client"), "/clients/client_9", None).await;
    assert_eq!(missing.status, 404);
}

#[tokio::test]
async fn active_users_are_the_seeded_users() {
    let h = Harness::start().await;
    let reply = h.call(op("list_active_users"), "/users/_list", None).await;
    assert_eq!(reply.status, 200);
    let names: Vec<&str> = reply.body["users"]
        .as_array()
        .expect("users")
        .iter()
        .map(|u| u["name"].as_str().expect("name"))
        .collect();
    assert_eq!(names, ["Ada Lovelace", "Grace Hopper", "API"]);
}

#[tokio::test]
async fn client_contacts_list_what_was_created_and_updated() {
    let h = Harness::start().await;
    let created = h
        .call(
            op("create_client_contact"),
            "/clients/contacts/client_2",
            Some(json!({"firstName": "Ann", "lastName": "Lee", "role": "CFO"})),
        )
        .await;
    let id = created.body["id"].as_str().expect("id").to_owned();
    let updated = h
        .call(
            op("update_client_contact"),
            &format!("/clients/contacts/{id}"),
            Some(json!({
                "role": "CEO",
                "department": null,
                "stageId": "stage_2",
                "emails": [{"purpose": "work", "email": "ann@globex.example", "isPrimary": true}],
            })),
        )
        .await;
    assert_eq!(updated.status, 200, "{:#}", updated.body);
    // Emails are the person's: the overview shows the new list.
    let overview = h
        .call(
            op("get_contact_overview"),
            &format!("/clients/contacts/{id}"),
            None,
        )
        .await;
    assert_eq!(
        overview.body["clientContacts"][0]["emailAddresses"],
        json!([{"purpose": "work", "email": "ann@globex.example", "isPrimary": true}])
    );

    let items = walk(&h, "list_client_contacts", "/clients/contacts", 1).await;
    assert_eq!(ids(&items), ["cand_1", id.as_str()]);
    let ann = &items[1];
    assert_eq!(ann["client"]["company"]["name"], "Globex");
    assert_eq!(ann["role"], "CEO");
    assert_eq!(ann["department"], Value::Null);
    assert_eq!(ann["stage"]["name"], "Qualified");

    let missing = h
        .call(
            op("update_client_contact"),
            "/clients/contacts/contact_404",
            Some(json!({"role": "x"})),
        )
        .await;
    assert_eq!(missing.status, 404);
}
