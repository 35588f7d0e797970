//! Candidates from the store: created ones are got, listed page by page and searched.

use std::collections::BTreeSet;

use serde_json::{Value, json};

use crate::common::{Harness, Reply, op};

/// Creates a candidate and returns its id.
async fn create(h: &Harness, first: &str, last: &str) -> String {
    let reply = h
        .call(
            op("create_candidate"),
            "/candidates",
            Some(json!({
                "firstName": first,
                "lastName": last,
                "emails": [{"purpose": "work", "email": format!("{first}@example.com")}],
            })),
        )
        .await;
    assert_eq!(reply.status, 201, "{:#}", reply.body);
    reply
        .body
        .as_str()
        .expect("the id, as a bare string")
        .to_owned()
}

/// Walks `GET /candidates` with `limit` per page; returns every page's answer.
async fn walk(h: &Harness, limit: u32) -> Vec<Reply> {
    let mut pages = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let path = match &cursor {
            Some(c) => format!("/candidates?limit={limit}&cursor={c}"),
            None => format!("/candidates?limit={limit}"),
        };
        let reply = h.call(op("list_candidates"), &path, None).await;
        assert_eq!(reply.status, 200, "{:#}", reply.body);
        let next = reply.body["pageInfo"]["nextCursor"]
            .as_str()
            .map(str::to_owned);
        let more = reply.body["pageInfo"]["hasNextPage"] == json!(true);
        assert_eq!(
            more,
            next.is_some(),
            "a next cursor exactly when more follows"
        );
        pages.push(reply);
        assert!(pages.len() <= 20, "paging does not end");
        match next {
            Some(next) => cursor = Some(next),
            None => return pages,
        }
    }
}

fn ids(page: &Reply) -> Vec<String> {
    page.body["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|c| c["id"].as_str().expect("id").to_owned())
        .collect()
}

#[tokio::test]
async fn a_created_candidate_is_got_and_listed_exactly_once() {
    let h = Harness::start().await;
    let id = create(&h, "Ada", "Byron").await;

    let got = h
        .call(op("get_candidate"), &format!("/candidates/{id}"), None)
        .await;
    assert_eq!(got.status, 200);
    assert_eq!(got.body["id"], id.as_str());
    assert_eq!(got.body["name"]["firstName"], "Ada");
    assert_eq!(got.body["name"]["lastName"], "Byron");
    assert_eq!(got.body["emails"]["emails"][0]["email"], "Ada@example.com");

    let listed: Vec<String> = walk(&h, 1).await.iter().flat_map(ids).collect();
    assert_eq!(listed.iter().filter(|i| **i == id).count(), 1, "{listed:?}");
}

#[tokio::test]
async fn a_cursor_pages_through_exactly_what_exists() {
    let h = Harness::start().await;
    let mut expected: BTreeSet<String> = ["cand_1", "cand_2"].map(str::to_owned).into();
    for (first, last) in [("Ann", "Lee"), ("Bo", "Kim"), ("Cy", "Poe")] {
        expected.insert(create(&h, first, last).await);
    }
    let pages = walk(&h, 2).await;
    assert_eq!(pages.len(), 3, "5 candidates, 2 per page");
    assert_eq!(
        pages.iter().map(|p| ids(p).len()).collect::<Vec<_>>(),
        [2, 2, 1]
    );
    let last = &pages[2].body["pageInfo"];
    assert_eq!(last["hasNextPage"], false);
    assert_eq!(last["nextCursor"], Value::Null);
    let listed: Vec<String> = pages.iter().flat_map(ids).collect();
    let unique: BTreeSet<String> = listed.iter().cloned().collect();
    assert_eq!(unique.len(), listed.len(), "no duplicates: {listed:?}");
    assert_eq!(unique, expected, "no gaps");

    // Oldest modification first: the seeded candidates, then the new ones in creation order.
    assert_eq!(&listed[2..], &expected_created(&listed));
}

/// The created ids of `listed` in creation order (their counter grows).
fn expected_created(listed: &[String]) -> Vec<String> {
    let mut created: Vec<String> = listed
        .iter()
        .filter(|i| i.starts_with("candidate_"))
        .cloned()
        .collect();
    created.sort_by_key(|i| i["candidate_".len()..].parse::<u64>().unwrap_or(u64::MAX));
    created
}

#[tokio::test]
async fn the_default_page_size_is_the_parameters_default() {
    let h = Harness::start().await;
    for n in 0..26 {
        create(&h, &format!("N{n}"), "Many").await;
    }
    let first = h.call(op("list_candidates"), "/candidates", None).await;
    assert_eq!(ids(&first).len(), 25, "limit's default is 25");
    assert_eq!(first.body["pageInfo"]["hasNextPage"], true);
}

#[tokio::test]
async fn a_cursor_the_mock_did_not_issue_is_a_400() {
    let h = Harness::start().await;
    let reply = h
        .call(
            op("list_candidates"),
            "/candidates?limit=1&cursor=bm90LWlzc3VlZA",
            None,
        )
        .await;
    assert_eq!(reply.status, 400, "{:#}", reply.body);
    let error = reply
        .error_at(json!(["query", "cursor"]))
        .expect("the error names the cursor");
    assert_eq!(error["code"], "invalid_cursor");
    assert_eq!(error["received"], "bm90LWlzc3VlZA");

    // A real cursor, edited by one character, is foreign too.
    let first = h
        .call(op("list_candidates"), "/candidates?limit=1", None)
        .await;
    let cursor = first.body["pageInfo"]["nextCursor"]
        .as_str()
        .expect("more than one candidate");
    let edited = format!("{cursor}A");
    let reply = h
        .call(
            op("list_candidates"),
            &format!("/candidates?limit=1&cursor={edited}"),
            None,
        )
        .await;
    assert_eq!(reply.status, 400);
}

#[tokio::test]
async fn an_unknown_candidate_is_a_404() {
    let h = Harness::start().await;
    let reply = h
        .call(op("get_candidate"), "/candidates/cand_404", None)
        .await;
    assert_eq!(reply.status, 404);
    assert_eq!(reply.errors()[0]["path"], json!(["params", "id"]));
}

#[tokio::test]
async fn search_filters_by_name_and_pages_in_the_body() {
    let h = Harness::start().await;
    let id = create(&h, "Jan", "Smithson").await;
    let search = |body: Value| {
        let h = &h;
        async move {
            let reply = h
                .call(op("search_candidates"), "/candidates/_search", Some(body))
                .await;
            assert_eq!(reply.status, 200, "{:#}", reply.body);
            ids(&reply)
        }
    };
    let both = search(json!({"filters": [{"type": "text", "value": "SMITH"}]})).await;
    assert_eq!(both, ["cand_1".to_owned(), id.clone()]);
    let first =
        search(json!({"filters": [{"type": "text", "value": "smith"}], "page": 0, "pageSize": 1}))
            .await;
    assert_eq!(first, ["cand_1"]);
    let second =
        search(json!({"filters": [{"type": "text", "value": "smith"}], "page": 1, "pageSize": 1}))
            .await;
    assert_eq!(second, [id]);
    let past =
        search(json!({"filters": [{"type": "text", "value": "smith"}], "page": 2, "pageSize": 1}))
            .await;
    assert!(past.is_empty());
    let none = search(json!({"filters": [{"type": "text", "value": "nobody"}]})).await;
    assert!(none.is_empty());
}

#[tokio::test]
async fn search_people_finds_candidates_and_contacts_by_name_email_or_phone() {
    let h = Harness::start().await;
    let reply = h
        .call(
            op("create_candidate"),
            "/candidates",
            Some(json!({
                "firstName": "Mia",
                "lastName": "Wong",
                "phoneNumbers": [{"purpose": "work", "phoneNumber": "+31 20 555 0101"}],
            })),
        )
        .await;
    let mia = reply.body.as_str().expect("id").to_owned();
    let people = |query: &'static str| {
        let h = &h;
        async move {
            let reply = h
                .call(
                    op("search_people"),
                    &format!("/search/people?{query}"),
                    None,
                )
                .await;
            assert_eq!(reply.status, 200, "{:#}", reply.body);
            reply.body["items"]
                .as_array()
                .expect("items")
                .iter()
                .map(|p| {
                    format!(
                        "{}:{}",
                        p["entityType"].as_str().expect("type"),
                        p["id"].as_str().expect("id")
                    )
                })
                .collect::<Vec<_>>()
        }
    };
    assert_eq!(people("query=555+0101").await, [format!("candidate:{mia}")]);
    // Jane is a candidate and a client contact at Acme: both are found.
    assert_eq!(
        people("query=JSMITH%40example").await,
        ["candidate:cand_1", "client_contact:cand_1"]
    );
    assert_eq!(people("query=jane&limit=1").await, ["candidate:cand_1"]);
    assert!(people("query=nobody").await.is_empty());
}

#[tokio::test]
async fn a_candidate_created_while_paging_appears_once_at_the_end() {
    let h = Harness::start().await;
    let first = h
        .call(op("list_candidates"), "/candidates?limit=1", None)
        .await;
    let cursor = first.body["pageInfo"]["nextCursor"]
        .as_str()
        .expect("a second page")
        .to_owned();
    let id = create(&h, "Late", "Comer").await;
    let rest = h
        .call(
            op("list_candidates"),
            &format!("/candidates?limit=10&cursor={cursor}"),
            None,
        )
        .await;
    assert_eq!(rest.status, 200);
    let mut seen = ids(&first);
    seen.extend(ids(&rest));
    assert_eq!(seen, ["cand_1".to_owned(), "cand_2".to_owned(), id]);
    assert_eq!(rest.body["pageInfo"]["nextCursor"], Value::Null);
}

#[tokio::test]
async fn modified_bounds_filter_the_list() {
    let h = Harness::start().await;
    let future = h
        .call(
            op("list_candidates"),
            "/candidates?modifiedSince=2999-01-01T00:00:00Z",
            None,
        )
        .await;
    assert_eq!(future.status, 200);
    assert!(ids(&future).is_empty());
    let past = h
        .call(
            op("list_candidates"),
            "/candidates?modifiedUntil=2000-01-01T00:00:00Z",
            None,
        )
        .await;
    assert!(ids(&past).is_empty());
    let all = h
        .call(
            op("list_candidates"),
            "/candidates?modifiedSince=2000-01-01T00:00:00Z",
            None,
        )
        .await;
    assert_eq!(ids(&all), ["cand_1", "cand_2"]);
}
