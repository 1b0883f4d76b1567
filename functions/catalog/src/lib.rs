//! Every function crate with its routes. The Worker mounts these; `spin.toml`
//! has one component per entry; the OpenAPI document lists every route.

use domain::kernel::engine::Handler;

pub struct Function {
    /// The crate's name, which is also its Spin component id.
    pub name: &'static str,
    pub routes: &'static [(&'static str, &'static str)],
    pub handler: Handler,
}

pub const FUNCTIONS: &[Function] = &[
    Function {
        name: "admin-activation",
        routes: admin_activation::ROUTES,
        handler: admin_activation::boxed,
    },
    Function {
        name: "admin-admins",
        routes: admin_admins::ROUTES,
        handler: admin_admins::boxed,
    },
    Function {
        name: "admin-bootstrap",
        routes: admin_bootstrap::ROUTES,
        handler: admin_bootstrap::boxed,
    },
    Function {
        name: "admin-dead-letters",
        routes: admin_dead_letters::ROUTES,
        handler: admin_dead_letters::boxed,
    },
    Function {
        name: "admin-member-devices",
        routes: admin_member_devices::ROUTES,
        handler: admin_member_devices::boxed,
    },
    Function {
        name: "admin-review",
        routes: admin_review::ROUTES,
        handler: admin_review::boxed,
    },
    Function {
        name: "attendance-view",
        routes: attendance_view::ROUTES,
        handler: attendance_view::boxed,
    },
    Function {
        name: "auth-login",
        routes: auth_login::ROUTES,
        handler: auth_login::boxed,
    },
    Function {
        name: "auth-logout",
        routes: auth_logout::ROUTES,
        handler: auth_logout::boxed,
    },
    Function {
        name: "dev-switches",
        routes: dev_switches::ROUTES,
        handler: dev_switches::boxed,
    },
    Function {
        name: "device-adms",
        routes: device_adms::ROUTES,
        handler: device_adms::boxed,
    },
    Function {
        name: "device-webhook",
        routes: device_webhook::ROUTES,
        handler: device_webhook::boxed,
    },
    Function {
        name: "maintenance",
        routes: maintenance::ROUTES,
        handler: maintenance::boxed,
    },
    Function {
        name: "member-sites",
        routes: member_sites::ROUTES,
        handler: member_sites::boxed,
    },
    Function {
        name: "member-terminals",
        routes: member_terminals::ROUTES,
        handler: member_terminals::boxed,
    },
    Function {
        name: "meta",
        routes: meta::ROUTES,
        handler: meta::boxed,
    },
    Function {
        name: "signup-company",
        routes: signup_company::ROUTES,
        handler: signup_company::boxed,
    },
    Function {
        name: "signup-company-search",
        routes: signup_company_search::ROUTES,
        handler: signup_company_search::boxed,
    },
    Function {
        name: "signup-contact",
        routes: signup_contact::ROUTES,
        handler: signup_contact::boxed,
    },
    Function {
        name: "signup-documents",
        routes: signup_documents::ROUTES,
        handler: signup_documents::boxed,
    },
    Function {
        name: "signup-phone-send",
        routes: signup_phone_send::ROUTES,
        handler: signup_phone_send::boxed,
    },
    Function {
        name: "signup-phone-verify",
        routes: signup_phone_verify::ROUTES,
        handler: signup_phone_verify::boxed,
    },
    Function {
        name: "signup-status",
        routes: signup_status::ROUTES,
        handler: signup_status::boxed,
    },
    Function {
        name: "signup-submit",
        routes: signup_submit::ROUTES,
        handler: signup_submit::boxed,
    },
    Function {
        name: "signup-terms",
        routes: signup_terms::ROUTES,
        handler: signup_terms::boxed,
    },
];

/// What a (method, path) resolves to.
pub enum Found {
    Handler(Handler),
    /// The path exists with other methods.
    MethodNotAllowed(Vec<&'static str>),
    NotFound,
}

pub fn find(method: &str, path: &str) -> Found {
    let mut allowed = Vec::new();
    for f in FUNCTIONS {
        for (m, p) in f.routes {
            if *p == path {
                if *m == method || (method == "HEAD" && *m == "GET") {
                    return Found::Handler(f.handler);
                }
                allowed.push(*m);
            }
        }
    }
    if allowed.is_empty() {
        Found::NotFound
    } else {
        Found::MethodNotAllowed(allowed)
    }
}
