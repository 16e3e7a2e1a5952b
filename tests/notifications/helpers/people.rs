//! The people a case's mail goes to: contacts in both languages, a consultant, an auditor.

use super::{random_hex, TestApp, TestUser, World, PASSWORD};

impl TestApp {
    /// Creates a user with a name and language (as the admin) and logs them in.
    pub async fn create_person(
        &self,
        role: &str,
        name: &str,
        unit_id: Option<&str>,
        language: &str,
    ) -> TestUser {
        let email = format!("{role}-{}@example.se", random_hex());
        let mut body = serde_json::json!({
            "email": email, "name": name, "role": role,
            "language": language, "password": PASSWORD,
        });
        if let Some(unit) = unit_id {
            body["unit_id"] = serde_json::json!(unit);
        }
        let reply = self
            .post_users(&self.admin.token, &body)
            .await
            .should_be(201);
        let token = self.login(&email, PASSWORD).await;
        TestUser {
            id: reply.id(),
            email,
            role: role.into(),
            token,
        }
    }

    /// A unit with a contact address (no user has it), a Swedish and an English
    /// contact user, a Swedish consultant and an English auditor; the case is enrolled.
    pub async fn given_a_unit_with_contacts(&self) -> Unit {
        let organisation_id = self.create_organisation("Järfälla kommun").await;
        let contact_email = format!("enhet-{}@jarfalla.example.se", random_hex());
        let unit_id = self
            .post_units(
                &self.admin.token,
                &organisation_id,
                &serde_json::json!({
                    "name": "Socialtjänsten Barn och unga",
                    "headcount": 10,
                    "contact_email": contact_email,
                }),
            )
            .await
            .should_be(201)
            .id();
        let contact_sv = self
            .create_person("unit_contact", "Sara Chef", Some(&unit_id), "sv")
            .await;
        let contact_en = self
            .create_person("unit_contact", "Sam Manager", Some(&unit_id), "en")
            .await;
        let consultant = self
            .create_person("consultant", "Karin Lind", None, "sv")
            .await;
        let auditor = self
            .create_person("auditor", "Alex Auditor", None, "en")
            .await;
        let case_id = self
            .enrol(&consultant.token, &unit_id)
            .await
            .should_be(201)
            .id();
        Unit {
            world: World {
                organisation_id,
                unit_id,
                case_id,
                consultant,
                auditor,
            },
            contact_email,
            contact_sv,
            contact_en,
        }
    }
}

/// `given_a_unit_with_contacts`: a case and everyone who hears about it.
#[derive(Debug, Clone)]
pub struct Unit {
    pub world: World,
    /// The unit's contact address, which belongs to no user (gets Swedish).
    pub contact_email: String,
    pub contact_sv: TestUser,
    pub contact_en: TestUser,
}

impl Unit {
    /// The unit's contacts, sorted.
    pub fn contacts(&self) -> Vec<String> {
        sorted(vec![
            self.contact_email.clone(),
            self.contact_sv.email.clone(),
            self.contact_en.email.clone(),
        ])
    }

    /// The unit's contacts and the consultant, sorted.
    pub fn contacts_and_consultant(&self) -> Vec<String> {
        let mut all = self.contacts();
        all.push(self.world.consultant.email.clone());
        sorted(all)
    }
}

/// `v`, sorted.
pub fn sorted(mut v: Vec<String>) -> Vec<String> {
    v.sort();
    v
}
