//! The file transport (the embedded default) and the log transport.

use crate::helpers::{spawn_app_with, SmtpSink};

#[actix_rt::test]
async fn the_file_transport_writes_one_eml_per_mail_named_by_its_row() {
    let app = spawn_app_with(SmtpSink::down(), |s| s.mail.transport = "file".into()).await;
    let unit = app.given_a_unit_with_contacts().await;

    app.dispatch().await;

    let rows = app.mail(Some("sent")).await;
    assert_eq!(rows.len(), 4);
    for row in &rows {
        let path = app
            .settings
            .mail
            .file_dir
            .join(format!("{}.eml", row["id"].as_str().unwrap()));
        let eml = std::fs::read_to_string(&path).expect("the .eml file exists");
        assert!(eml.contains("Message-ID: <"), "{eml}");
        assert!(eml.contains(row["recipient"].as_str().unwrap()));
    }
    let files = std::fs::read_dir(&app.settings.mail.file_dir)
        .unwrap()
        .count();
    assert_eq!(files, 4, "no partial files are left behind");
    assert!(unit.contacts().len() == 3);
}

#[actix_rt::test]
async fn the_log_transport_marks_mail_sent_without_sending_it() {
    let smtp = SmtpSink::start();
    let app = spawn_app_with(smtp.clone(), |s| s.mail.transport = "log".into()).await;
    app.given_a_unit_with_contacts().await;

    app.dispatch().await;

    assert_eq!(app.mail(Some("sent")).await.len(), 4);
    assert!(smtp.received().is_empty());
}
