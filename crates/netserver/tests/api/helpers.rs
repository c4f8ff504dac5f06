//! `spawn_app` and the small SOAP helpers the tests share.

use std::path::PathBuf;
use std::sync::Arc;

use accounts::{
    Accounts, KdfParams, NewUser, Right, Secret, Settings, Store, TestClock, Timestamp, UserType,
};
use netserver::wiring;
use server::ServerConfig;
use store::StoreOptions;

pub const NS: &str = "http://www.superoffice.net/ws/crm/NetServer/Services88";
pub const SOAP11: &str = "http://schemas.xmlsoap.org/soap/envelope/";
pub const SOAP12: &str = "http://www.w3.org/2003/05/soap-envelope";
pub const ADMIN_PASSWORD: &str = "root-secret-pw-1";

pub struct TestApp {
    pub node: Node,
    pub accounts: Accounts,
    /// The store the server runs on, for checks of what a call wrote.
    pub store: Arc<dyn Store>,
    /// The clock the server reads each call's time from: the system clock's time until a
    /// test advances it (instead of sleeping until a ticket or lock runs out).
    pub clock: TestClock,
    pub admin_id: i32,
    pub db_path: PathBuf,
    _dir: tempfile::TempDir,
}

/// A netserver reached over HTTP at `base`: the SOAP calls the tests make. A `TestApp`
/// is one (by `Deref`); a server process started by a test is another.
pub struct Node {
    pub base: String,
    pub http: reqwest::Client,
}

impl std::ops::Deref for TestApp {
    type Target = Node;
    fn deref(&self) -> &Node {
        &self.node
    }
}

pub struct Reply {
    pub status: u16,
    pub content_type: String,
    pub body: String,
}

pub async fn spawn_app() -> TestApp {
    spawn_app_with(ServerConfig::default(), Settings::default()).await
}

pub async fn spawn_app_with(config: ServerConfig, settings: Settings) -> TestApp {
    let dir = tempfile::tempdir().unwrap();
    let db_path = dir.path().join("test.db");
    let url = format!("sqlite://{}", db_path.display());
    spawn_app_on(
        &url,
        &StoreOptions::default(),
        config,
        settings,
        dir,
        db_path,
    )
    .await
}

/// A server in this process on the store at `url` (any backend), with an administrator;
/// it reads the time from the app's [`TestClock`], whatever clock `config` names.
pub async fn spawn_app_on(
    url: &str,
    options: &StoreOptions,
    mut config: ServerConfig,
    settings: Settings,
    dir: tempfile::TempDir,
    db_path: PathBuf,
) -> TestApp {
    let store = wiring::open_store(url, options).await.unwrap();
    let params = KdfParams::insecure_for_tests();
    let accounts = wiring::domain(store.clone(), params, 2, settings).unwrap();
    let clock = TestClock::following_system();
    config.clock = clock.clock();
    let running = wiring::start("127.0.0.1:0", accounts.clone(), config)
        .await
        .unwrap();
    let mut app = TestApp {
        node: Node::new(format!("http://{}", running.addr)),
        accounts,
        store,
        clock,
        admin_id: 0,
        db_path,
        _dir: dir,
    };
    app.admin_id = app
        .add_user("admin", &[Right::AdminAll], ADMIN_PASSWORD)
        .await;
    app
}

impl TestApp {
    pub async fn add_user(&self, name: &str, rights: &[Right], password: &str) -> i32 {
        let user = NewUser {
            name: name.into(),
            full_name: format!("{name} Testsson"),
            user_type: UserType::Internal,
            rights: rights.to_vec(),
            password: Some(Secret::new(password)),
            must_change: false,
        };
        self.accounts
            .add_user(accounts::DEFAULT_TENANT, user, Timestamp::now())
            .await
            .unwrap()
            .id
    }
}

impl Node {
    pub fn new(base: String) -> Node {
        Node {
            base,
            http: reqwest::Client::new(),
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// Logs in over SOAP 1.1 and returns the ticket, or `None` if refused.
    pub async fn login(&self, name: &str, password: &str) -> Option<String> {
        let reply = self
            .soap11(
                "SoPrincipal",
                "AuthenticateUsernamePassword",
                &auth_body(name, password),
                None,
            )
            .await;
        assert_eq!(reply.status, 200, "{}", reply.body);
        let doc = roxmltree::Document::parse(&reply.body).unwrap();
        let ok = text(&doc, "AuthenticationSucceeded").unwrap();
        (ok == "true").then(|| text(&doc, "Ticket").unwrap())
    }

    pub async fn admin_ticket(&self) -> String {
        self.login("admin", ADMIN_PASSWORD).await.unwrap()
    }

    pub async fn post(
        &self,
        path: &str,
        headers: &[(&str, &str)],
        body: impl Into<reqwest::Body>,
    ) -> Reply {
        let mut req = self.http.post(self.url(path)).body(body);
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        let resp = req.send().await.unwrap();
        let status = resp.status().as_u16();
        let content_type = resp
            .headers()
            .get("content-type")
            .map(|v| v.to_str().unwrap().to_owned())
            .unwrap_or_default();
        Reply {
            status,
            content_type,
            body: resp.text().await.unwrap(),
        }
    }

    pub async fn soap11(&self, agent: &str, op: &str, body: &str, ticket: Option<&str>) -> Reply {
        let action = format!("\"{NS}/{agent}/{op}\"");
        let env = envelope(SOAP11, ticket, body);
        self.post(
            &format!("/Remote/Services88/{agent}.svc"),
            &[
                ("Content-Type", "text/xml; charset=utf-8"),
                ("SOAPAction", &action),
            ],
            env,
        )
        .await
    }

    /// A SOAP 1.1 call whose whole HTTP response the test reads (headers included).
    pub async fn soap11_response(
        &self,
        agent: &str,
        op: &str,
        body: &str,
        ticket: Option<&str>,
    ) -> reqwest::Response {
        self.http
            .post(self.url(&format!("/Remote/Services88/{agent}.svc")))
            .header("Content-Type", "text/xml; charset=utf-8")
            .header("SOAPAction", format!("\"{NS}/{agent}/{op}\""))
            .body(envelope(SOAP11, ticket, body))
            .send()
            .await
            .unwrap()
    }

    pub async fn soap12(&self, agent: &str, op: &str, body: &str, ticket: Option<&str>) -> Reply {
        let ct = format!("application/soap+xml; charset=utf-8; action=\"{NS}/{agent}/{op}\"");
        let env = envelope(SOAP12, ticket, body);
        self.post(
            &format!("/Remote/Services88/{agent}.svc"),
            &[("Content-Type", &ct)],
            env,
        )
        .await
    }

    pub async fn set_password(&self, ticket: Option<&str>, id: &str, password: &str) -> Answer {
        let reply = self
            .soap11(
                "User",
                "SetPassword",
                &set_password_body(id, password),
                ticket,
            )
            .await;
        Answer::read(&reply)
    }
}

/// The body with the `OperationId` value of its `ExtraInfo` blanked, for comparing answers.
pub fn mask_operation_id(body: &str) -> String {
    const KEY: &str = "<Key>OperationId</Key><Value>";
    match body.find(KEY) {
        Some(at) => {
            let start = at + KEY.len();
            let end = start + body[start..].find('<').unwrap_or(0);
            format!("{}{}", &body[..start], &body[end..])
        }
        None => body.to_owned(),
    }
}

pub fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

pub fn auth_body(name: &str, password: &str) -> String {
    format!(
        "<AuthenticateUsernamePassword xmlns=\"{NS}\"><UserName>{}</UserName><Password>{}</Password></AuthenticateUsernamePassword>",
        escape(name),
        escape(password)
    )
}

pub fn set_password_body(id: &str, password: &str) -> String {
    format!(
        "<SetPassword xmlns=\"{NS}\"><AssociateId>{id}</AssociateId><Password>{}</Password></SetPassword>",
        escape(password)
    )
}

pub fn envelope(env_ns: &str, ticket: Option<&str>, body: &str) -> String {
    let creds = ticket
        .map(|t| {
            format!(
                "<Credentials xmlns=\"{NS}\"><Ticket>{}</Ticket></Credentials>",
                escape(t)
            )
        })
        .unwrap_or_default();
    format!("<?xml version=\"1.0\" encoding=\"utf-8\"?><s:Envelope xmlns:s=\"{env_ns}\"><s:Header>{creds}</s:Header><s:Body>{body}</s:Body></s:Envelope>")
}

pub use netserver::client::find_text as text;

/// What a SOAP answer said, read from its XML.
#[derive(Debug)]
pub struct Answer {
    pub status: u16,
    pub envelope_ns: String,
    pub response: Option<String>,
    pub succeeded: Option<String>,
    pub exception_type: Option<String>,
    pub message: Option<String>,
    pub fault_code: Option<String>,
    pub fault_reason: Option<String>,
    pub body: String,
}

impl Answer {
    pub fn read(reply: &Reply) -> Answer {
        let doc = roxmltree::Document::parse(&reply.body)
            .unwrap_or_else(|e| panic!("not XML ({e}): {}", reply.body));
        let fault = doc.descendants().find(|n| n.tag_name().name() == "Fault");
        let fault_code = fault.and_then(|f| {
            f.descendants()
                .find(|n| matches!(n.tag_name().name(), "faultcode" | "Value"))
                .and_then(|n| n.text())
                .map(str::to_owned)
        });
        let fault_reason = fault.and_then(|f| {
            f.descendants()
                .find(|n| matches!(n.tag_name().name(), "faultstring" | "Text"))
                .and_then(|n| n.text())
                .map(str::to_owned)
        });
        Answer {
            status: reply.status,
            envelope_ns: doc
                .root_element()
                .tag_name()
                .namespace()
                .unwrap_or("")
                .to_owned(),
            response: text(&doc, "Response"),
            succeeded: text(&doc, "Succeeded"),
            exception_type: text(&doc, "ExceptionType"),
            message: text(&doc, "Message"),
            fault_code,
            fault_reason,
            body: reply.body.clone(),
        }
    }

    /// Asserts the NetServer-style failure: HTTP 200, Succeeded=false, Response=false and
    /// this ExceptionType.
    #[track_caller]
    pub fn assert_exception(&self, exception_type: &str) {
        assert_eq!(self.status, 200, "{}", self.body);
        assert_eq!(self.succeeded.as_deref(), Some("false"), "{}", self.body);
        assert_eq!(self.response.as_deref(), Some("false"), "{}", self.body);
        assert_eq!(
            self.exception_type.as_deref(),
            Some(exception_type),
            "{}",
            self.body
        );
    }

    /// The failure shape of an operation whose Response is not a boolean: nil Response.
    #[track_caller]
    pub fn assert_exception_nil(&self, exception_type: &str) {
        assert_eq!(self.status, 200, "{}", self.body);
        assert_eq!(self.succeeded.as_deref(), Some("false"), "{}", self.body);
        assert_eq!(
            self.exception_type.as_deref(),
            Some(exception_type),
            "{}",
            self.body
        );
        assert!(
            self.body.contains("<Response xsi:nil=\"true\"/>"),
            "{}",
            self.body
        );
    }

    #[track_caller]
    pub fn assert_success(&self) {
        assert_eq!(self.status, 200, "{}", self.body);
        assert_eq!(self.succeeded.as_deref(), Some("true"), "{}", self.body);
        assert_eq!(self.response.as_deref(), Some("true"), "{}", self.body);
        assert_eq!(self.exception_type, None, "{}", self.body);
    }

    #[track_caller]
    pub fn assert_fault(&self, status: u16, reason_contains: &str) {
        assert_eq!(self.status, status, "{}", self.body);
        let reason = self
            .fault_reason
            .as_deref()
            .unwrap_or_else(|| panic!("no fault: {}", self.body));
        assert!(
            reason.contains(reason_contains),
            "reason '{reason}' lacks '{reason_contains}'"
        );
    }
}
