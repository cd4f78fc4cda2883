//! Overlay files: parse, plan with no parameters, apply to a small
//! Deployment; every stage may refuse, none may panic.
#![no_main]
use libfuzzer_sys::fuzz_target;
use tusk_overlay::{Doc, Env, Overlay, ParamInputs, apply};

const DOC: &str = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  labels:\n    app: mastodon\nspec:\n  template:\n    spec:\n      containers:\n      - name: web\n        image: m:v4\n        env:\n        - name: A\n          value: b";

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let Ok(overlay) = Overlay::parse("fuzz", text) else { return };
    let Ok(plan) = overlay.plan(&ParamInputs::default(), &Env::default()) else { return };
    let doc = Doc { source: "c/templates/web.yaml".into(), content: DOC.into() };
    let _ = apply(vec![doc], &[plan]);
});
