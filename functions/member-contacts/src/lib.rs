//! A member company's contact persons (rule P10): its administrator lists
//! them, adds one (invited by e-mail to choose a login) and removes one
//! who left (its data erased at once, P6). Contact persons it added sign
//! in too, but only the administrator reaches these routes.

use domain::kernel::engine::{serve, Cx};
use domain::kernel::http::{Request, Response};
use domain::kernel::problem::{json_object, Body, Fields, Problem};
use domain::kernel::types::{text, Email, MobileNumber};
use domain::privacy::p10_contacts::{AddContact, AddInput, ListContacts, RemoveContact};

domain::function!(handle, [
    ("GET", "/member/contacts") => |op| op
        .summary("The company's contact persons: its administrator and those it added (P10); the administrator only")
        .of(&ListContacts)
        .reply::<domain::privacy::p10_contacts::ContactPersons>(200),
    ("POST", "/member/contacts") => |op| op
        .summary("Adds a contact person, invited by e-mail to choose a login ID and password within 72 hours (P10); at most 20")
        .of(&AddContact)
        .body::<ContactPersonBody>()
        .reply::<domain::privacy::p10_contacts::ContactPerson>(201)
        .problems(&[409]),
    ("DELETE", "/member/contacts/{id}") => |op| op
        .summary("Removes a contact person who left (P10): name, mobile, e-mail and password erased now, the login ID retired, its sessions ended, the person told")
        .of(&RemoveContact)
        .reply::<domain::privacy::p10_contacts::ContactRemoved>(200)
        .problems(&[404, 409]),
]);
domain::request!(
    struct ContactPersonBody {
        /// the person's name
        #[schemars(length(min = 1, max = 50))]
        name: String,
        /// a Korean mobile number
        mobile: String,
        /// where the invitation goes
        email: String,
    }
);
adapter_spin::component!(boxed, ROUTES, BODY_LIMIT);

pub async fn handle(req: &Request, cx: &Cx<'_>) -> Response {
    match req.method.as_str() {
        "GET" => serve(&ListContacts, req, cx, |_| Ok(())).await,
        "DELETE" => {
            let id = req.param("id").unwrap_or_default().to_owned();
            serve(&RemoveContact, req, cx, |_| Ok(id)).await
        }
        _ => serve(&AddContact, req, cx, parse).await,
    }
}

fn parse(req: &Request) -> Result<AddInput, Problem> {
    let map = json_object(&req.body)?;
    let body = Body { map: &map };
    let mut f = Fields::default();
    let name = body
        .str(&mut f, "name")
        .and_then(|s| f.take("name", text(&s, 50)));
    let mobile = body
        .str(&mut f, "mobile")
        .and_then(|s| f.take("mobile", MobileNumber::parse(&s)));
    let email = body
        .str(&mut f, "email")
        .and_then(|s| f.take("email", Email::parse(&s)));
    let (name, mobile, email) = f.done((("name", name), ("mobile", mobile), ("email", email)))?;
    Ok(AddInput {
        name,
        mobile,
        email,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req(body: &str) -> Request {
        Request {
            body: body.as_bytes().to_vec(),
            ..Default::default()
        }
    }

    /// rule P10: a contact person is added with a name, a mobile and an
    /// e-mail address; every bad field is named.
    #[test]
    fn p10_a_contact_person_needs_a_name_mobile_and_email() {
        let ok = parse(&req(
            r#"{"name":"박담당","mobile":"010-2345-6789","email":"park@example.kr"}"#,
        ))
        .unwrap();
        assert_eq!(ok.name, "박담당");
        let p = parse(&req(r#"{"name":"","mobile":"02-123-4567","email":"nope"}"#)).unwrap_err();
        let mut pointers: Vec<&str> = p.errors.iter().map(|e| e.pointer.as_str()).collect();
        pointers.sort_unstable();
        assert_eq!(pointers, ["#/email", "#/mobile", "#/name"]);
    }
}
