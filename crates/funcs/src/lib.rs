//! Sprig v3 and Helm's template functions, with Helm-exact YAML and JSON.
//!
//! [`register`] / [`register_with`] fill a [`tusk_template::FuncMap`] with
//! every function a chart can call under helm 3.17.2: sprig v3.3.0 (minus
//! `env` and `expandenv`, which helm removes) and helm's own (`include`,
//! `tpl`, `required`, `toYaml`, `toYamlPretty`, `fromYaml`, `lookup`, ...).
//! All names are registered from the single table [`FUNCS`], each with its
//! Go parameter list so the engine checks arguments exactly as Go's
//! text/template does. The implementations live in one module per family:
//! [`strings`] (incl. regular expressions), [`lists`], [`dicts`], [`math`],
//! [`flow`] (defaults, `fail`, `required`), [`encoding`] (base64/32, JSON,
//! YAML), [`toml`], [`reflect`], [`paths`], [`urls`], [`dates`], [`semver`],
//! [`crypto`] (hashes, random values, AES, bcrypt), [`certs`] (keys and
//! X.509) and [`helm`] (`include`, `tpl`, `lookup`, fromYaml/fromJson).
//!
//! Below the functions sit the serialization layers helm uses, reproduced
//! byte for byte: [`yaml`] (sigs.k8s.io/yaml over go-yaml v2: value typing
//! on the way in, go-yaml's emitter on the way out, plus the go-yaml v3
//! flavour of `toYamlPretty`) and [`json`] (Go's encoding/json), with Go's
//! number and string formatting in [`gofloat`] and [`gostr`].
//! [`files::Files`] is the `.Files` object.
//!
//! Randomness (`randAlphaNum`, `uuidv4`, `genCA`, ...) comes from a ChaCha20
//! generator that [`Options::seed`] makes repeatable; the clock (`now`) can
//! be fixed with [`Options::now`] and the local zone with
//! [`Options::local_zone`]. Functions that need the running engine
//! (`include`, `tpl`) reach it through [`tusk_template::CallContext`].
//!
//! Differences from helm are listed in `COMPATIBILITY.md`. This crate knows
//! nothing about charts.

pub mod args;
pub mod certs;
pub mod crypto;
pub mod dates;
pub mod dicts;
pub mod encoding;
pub mod files;
pub mod flow;
pub mod gofloat;
pub mod gostr;
pub mod helm;
pub mod json;
pub mod lists;
pub mod math;
pub mod paths;
pub mod reflect;
pub mod semver;
mod semver_scan;
pub mod strings;
#[cfg(test)]
mod testgen;
pub mod toml;
pub mod urls;
pub mod yaml;

use std::sync::{Arc, Mutex};
use std::time::SystemTime;

use rand::{Rng, RngCore, SeedableRng};
use rand_chacha::ChaCha20Rng;
use tusk_template::{CallContext, FuncError, FuncMap, ParamType, Signature, Value};

/// How the functions behave where helm's are not deterministic.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Seed for every random function; `None` seeds from the OS (as helm,
    /// whose output is then unrepeatable).
    pub seed: Option<u64>,
    /// The time `now` returns; `None` reads the clock.
    pub now: Option<SystemTime>,
    /// IANA name of the local time zone (Go's `time.Local`); `None` uses
    /// `TZ` / the system zone.
    pub local_zone: Option<String>,
}

/// Shared state of one function map: options, the random generator and
/// helm's per-name include counter.
pub struct Env {
    opts: Options,
    rng: Mutex<ChaCha20Rng>,
    #[allow(dead_code)]
    pub(crate) include_depth: Mutex<std::collections::HashMap<String, usize>>,
}

impl Env {
    /// Builds the state for `opts`.
    pub fn new(opts: Options) -> Env {
        let rng = match opts.seed {
            Some(seed) => ChaCha20Rng::seed_from_u64(seed),
            None => ChaCha20Rng::from_os_rng(),
        };
        Env {
            opts,
            rng: Mutex::new(rng),
            include_depth: Mutex::default(),
        }
    }

    /// The options in force.
    pub fn options(&self) -> &Options {
        &self.opts
    }

    fn rng(&self) -> std::sync::MutexGuard<'_, ChaCha20Rng> {
        self.rng.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// A uniform integer in `0..n` (`n` > 0).
    pub fn rand_below(&self, n: u64) -> u64 {
        if n == 0 {
            0
        } else {
            self.rng().random_range(0..n)
        }
    }

    /// Random bytes.
    pub fn rand_bytes(&self, buf: &mut [u8]) {
        self.rng().fill_bytes(buf);
    }

    /// The current time (or the fixed one).
    pub fn now(&self) -> SystemTime {
        self.opts.now.unwrap_or_else(SystemTime::now)
    }
}

/// A template function's implementation: the shared state, the engine
/// context and the evaluated arguments.
pub type Impl = fn(&Env, &mut dyn CallContext, &[Value]) -> Result<Value, FuncError>;

/// Every function name with its implementation and Go parameter list
/// (helm 3.17.2's function map: sprig's `TxtFuncMap` minus env/expandenv,
/// plus helm's extras and overrides).
///
/// The signature is written compactly: comma-separated parameter types,
/// `a` interface{}, `s` string, `i` int, `f` float64, `b` bool,
/// `l` `[]interface{}`, `m` `map[string]interface{}`; a trailing `...` makes
/// the last one variadic. The template engine uses it to check and convert
/// arguments exactly as Go's text/template does.
pub const FUNCS: &[(&str, Impl, &str)] = &[
    // strings
    ("hello", strings::hello, ""),
    ("trim", strings::trim, "s"),
    ("trimAll", strings::trim_all, "s,s"),
    ("trimall", strings::trim_all, "s,s"),
    ("trimPrefix", strings::trim_prefix, "s,s"),
    ("trimSuffix", strings::trim_suffix, "s,s"),
    ("upper", strings::upper, "s"),
    ("lower", strings::lower, "s"),
    ("title", strings::title, "s"),
    ("untitle", strings::untitle, "s"),
    ("repeat", strings::repeat, "i,s"),
    ("substr", strings::substr, "i,i,s"),
    ("nospace", strings::nospace, "s"),
    ("trunc", strings::trunc, "i,s"),
    ("abbrev", strings::abbrev, "i,s"),
    ("abbrevboth", strings::abbrevboth, "i,i,s"),
    ("initials", strings::initials, "s"),
    ("randAlphaNum", strings::rand_alpha_num, "i"),
    ("randAlpha", strings::rand_alpha, "i"),
    ("randAscii", strings::rand_ascii, "i"),
    ("randNumeric", strings::rand_numeric, "i"),
    ("swapcase", strings::swapcase, "s"),
    ("shuffle", strings::shuffle, "s"),
    ("snakecase", strings::snakecase, "s"),
    ("camelcase", strings::camelcase, "s"),
    ("kebabcase", strings::kebabcase, "s"),
    ("wrap", strings::wrap, "i,s"),
    ("wrapWith", strings::wrap_with, "i,s,s"),
    ("contains", strings::contains, "s,s"),
    ("hasPrefix", strings::has_prefix, "s,s"),
    ("hasSuffix", strings::has_suffix, "s,s"),
    ("quote", strings::quote, "a..."),
    ("squote", strings::squote, "a..."),
    ("cat", strings::cat, "a..."),
    ("indent", strings::indent, "i,s"),
    ("nindent", strings::nindent, "i,s"),
    ("replace", strings::replace, "s,s,s"),
    ("plural", strings::plural, "s,s,i"),
    ("toString", strings::to_string, "a"),
    ("toStrings", strings::to_strings, "a"),
    ("split", strings::split, "s,s"),
    ("splitList", strings::split_list, "s,s"),
    ("splitn", strings::splitn, "s,i,s"),
    ("join", strings::join, "s,a"),
    ("sortAlpha", strings::sort_alpha, "a"),
    // regular expressions
    ("regexMatch", strings::regex_match, "s,s"),
    ("mustRegexMatch", strings::must_regex_match, "s,s"),
    ("regexFindAll", strings::regex_find_all, "s,s,i"),
    ("mustRegexFindAll", strings::must_regex_find_all, "s,s,i"),
    ("regexFind", strings::regex_find, "s,s"),
    ("mustRegexFind", strings::must_regex_find, "s,s"),
    ("regexReplaceAll", strings::regex_replace_all, "s,s,s"),
    (
        "mustRegexReplaceAll",
        strings::must_regex_replace_all,
        "s,s,s",
    ),
    (
        "regexReplaceAllLiteral",
        strings::regex_replace_all_literal,
        "s,s,s",
    ),
    (
        "mustRegexReplaceAllLiteral",
        strings::must_regex_replace_all_literal,
        "s,s,s",
    ),
    ("regexSplit", strings::regex_split, "s,s,i"),
    ("mustRegexSplit", strings::must_regex_split, "s,s,i"),
    ("regexQuoteMeta", strings::regex_quote_meta, "s"),
    // conversions and math
    ("atoi", math::atoi, "s"),
    ("int", math::to_int, "a"),
    ("int64", math::to_int64, "a"),
    ("float64", math::to_float64, "a"),
    ("toDecimal", math::to_decimal, "a"),
    ("add", math::add, "a..."),
    ("add1", math::add1, "a"),
    ("sub", math::sub, "a,a"),
    ("mul", math::mul, "a,a..."),
    ("div", math::div, "a,a"),
    ("mod", math::modulo, "a,a"),
    ("max", math::max, "a,a..."),
    ("biggest", math::max, "a,a..."),
    ("min", math::min, "a,a..."),
    ("maxf", math::maxf, "a,a..."),
    ("minf", math::minf, "a,a..."),
    ("floor", math::floor, "a"),
    ("ceil", math::ceil, "a"),
    ("round", math::round, "a,i,f..."),
    ("addf", math::addf, "a..."),
    ("add1f", math::add1f, "a"),
    ("subf", math::subf, "a,a..."),
    ("mulf", math::mulf, "a,a..."),
    ("divf", math::divf, "a,a..."),
    ("seq", lists::seq, "i..."),
    ("until", lists::until, "i"),
    ("untilStep", lists::until_step_fn, "i,i,i"),
    // defaults and flow
    ("default", flow::default, "a,a..."),
    ("empty", flow::empty_fn, "a"),
    ("coalesce", flow::coalesce, "a..."),
    ("all", flow::all, "a..."),
    ("any", flow::any, "a..."),
    ("ternary", flow::ternary, "a,a,b"),
    ("fail", flow::fail, "s"),
    ("required", flow::required, "s,a"),
    // lists
    ("list", lists::list_fn, "a..."),
    ("tuple", lists::list_fn, "a..."),
    ("append", lists::push, "a,a"),
    ("push", lists::push, "a,a"),
    ("mustAppend", lists::push, "a,a"),
    ("mustPush", lists::push, "a,a"),
    ("prepend", lists::prepend, "a,a"),
    ("mustPrepend", lists::prepend, "a,a"),
    ("first", lists::first, "a"),
    ("mustFirst", lists::first, "a"),
    ("rest", lists::rest, "a"),
    ("mustRest", lists::rest, "a"),
    ("last", lists::last, "a"),
    ("mustLast", lists::last, "a"),
    ("initial", lists::initial, "a"),
    ("mustInitial", lists::initial, "a"),
    ("reverse", lists::reverse, "a"),
    ("mustReverse", lists::reverse, "a"),
    ("uniq", lists::uniq, "a"),
    ("mustUniq", lists::uniq, "a"),
    ("without", lists::without, "a,a..."),
    ("mustWithout", lists::without, "a,a..."),
    ("has", lists::has, "a,a"),
    ("mustHas", lists::has, "a,a"),
    ("compact", lists::compact, "a"),
    ("mustCompact", lists::compact, "a"),
    ("slice", lists::slice, "a,a..."),
    ("mustSlice", lists::slice, "a,a..."),
    ("concat", lists::concat, "a..."),
    ("chunk", lists::chunk, "i,a"),
    ("mustChunk", lists::chunk, "i,a"),
    // dicts
    ("dict", dicts::dict, "a..."),
    ("get", dicts::get, "m,s"),
    ("set", dicts::set, "m,s,a"),
    ("unset", dicts::unset, "m,s"),
    ("hasKey", dicts::has_key, "m,s"),
    ("pluck", dicts::pluck, "s,m..."),
    ("keys", dicts::keys, "m..."),
    ("pick", dicts::pick, "m,s..."),
    ("omit", dicts::omit, "m,s..."),
    ("values", dicts::values, "m"),
    ("merge", dicts::merge, "m,m..."),
    ("mustMerge", dicts::merge, "m,m..."),
    ("mergeOverwrite", dicts::merge_overwrite, "m,m..."),
    ("mustMergeOverwrite", dicts::merge_overwrite, "m,m..."),
    ("deepCopy", dicts::deep_copy, "a"),
    ("mustDeepCopy", dicts::deep_copy, "a"),
    ("dig", dicts::dig, "a..."),
    // encodings and serialization
    ("b64enc", encoding::b64enc, "s"),
    ("b64dec", encoding::b64dec, "s"),
    ("b32enc", encoding::b32enc, "s"),
    ("b32dec", encoding::b32dec, "s"),
    ("toJson", encoding::to_json, "a"),
    ("mustToJson", encoding::must_to_json, "a"),
    ("toPrettyJson", encoding::to_pretty_json, "a"),
    ("mustToPrettyJson", encoding::must_to_pretty_json, "a"),
    ("toRawJson", encoding::to_raw_json, "a"),
    ("mustToRawJson", encoding::to_raw_json, "a"),
    ("fromJson", encoding::from_json, "s"),
    ("fromJsonArray", encoding::from_json_array, "s"),
    ("mustFromJson", encoding::must_from_json, "s"),
    ("toYaml", encoding::to_yaml, "a"),
    ("toYamlPretty", encoding::to_yaml_pretty, "a"),
    ("fromYaml", encoding::from_yaml, "s"),
    ("fromYamlArray", encoding::from_yaml_array, "s"),
    ("toToml", toml::to_toml, "a"),
    ("fromToml", toml::from_toml, "s"),
    // reflection
    ("typeOf", reflect::type_of, "a"),
    ("typeIs", reflect::type_is, "s,a"),
    ("typeIsLike", reflect::type_is_like, "s,a"),
    ("kindOf", reflect::kind_of, "a"),
    ("kindIs", reflect::kind_is, "s,a"),
    ("deepEqual", reflect::deep_equal_fn, "a,a"),
    // paths
    ("base", paths::base_fn, "s"),
    ("dir", paths::dir_fn, "s"),
    ("clean", paths::clean_fn, "s"),
    ("ext", paths::ext_fn, "s"),
    ("isAbs", paths::is_abs, "s"),
    ("osBase", paths::base_fn, "s"),
    ("osDir", paths::dir_fn, "s"),
    ("osClean", paths::clean_fn, "s"),
    ("osExt", paths::ext_fn, "s"),
    ("osIsAbs", paths::is_abs, "s"),
    // urls and network
    ("urlParse", urls::url_parse, "s"),
    ("urlJoin", urls::url_join, "m"),
    ("getHostByName", urls::get_host_by_name, "s"),
    // dates
    ("now", dates::now, ""),
    ("date", dates::date, "s,a"),
    ("dateInZone", dates::date_in_zone, "s,a,s"),
    ("date_in_zone", dates::date_in_zone, "s,a,s"),
    ("dateModify", dates::date_modify, "s,a"),
    ("date_modify", dates::date_modify, "s,a"),
    ("mustDateModify", dates::must_date_modify, "s,a"),
    ("must_date_modify", dates::must_date_modify, "s,a"),
    ("htmlDate", dates::html_date, "a"),
    ("htmlDateInZone", dates::html_date_in_zone, "a,s"),
    ("ago", dates::ago, "a"),
    ("duration", dates::duration, "a"),
    ("durationRound", dates::duration_round, "a"),
    ("toDate", dates::to_date, "s,s"),
    ("mustToDate", dates::must_to_date, "s,s"),
    ("unixEpoch", dates::unix_epoch, "a"),
    // hashes, random values, crypto
    ("sha1sum", crypto::sha1sum, "s"),
    ("sha256sum", crypto::sha256sum, "s"),
    ("sha512sum", crypto::sha512sum, "s"),
    ("adler32sum", crypto::adler32sum, "s"),
    ("bcrypt", crypto::bcrypt_fn, "s"),
    ("htpasswd", crypto::htpasswd, "s,s"),
    ("randBytes", crypto::rand_bytes, "i"),
    ("randInt", crypto::rand_int, "i,i"),
    ("uuidv4", crypto::uuidv4, ""),
    ("derivePassword", crypto::derive_password, "i,s,s,s,s"),
    ("encryptAES", crypto::encrypt_aes, "s,s"),
    ("decryptAES", crypto::decrypt_aes, "s,s"),
    ("genPrivateKey", certs::gen_private_key, "s"),
    ("genCA", certs::gen_ca, "s,i"),
    ("genCAWithKey", certs::gen_ca_with_key, "s,i,s"),
    ("genSelfSignedCert", certs::gen_self_signed_cert, "s,l,l,i"),
    (
        "genSelfSignedCertWithKey",
        certs::gen_self_signed_cert_with_key,
        "s,l,l,i,s",
    ),
    ("genSignedCert", certs::gen_signed_cert, "s,l,l,i,a"),
    (
        "genSignedCertWithKey",
        certs::gen_signed_cert_with_key,
        "s,l,l,i,a,s",
    ),
    ("buildCustomCert", certs::build_custom_cert, "s,s"),
    // semantic versions
    ("semver", semver::semver, "s"),
    ("semverCompare", semver::semver_compare, "s,s"),
    // helm's engine functions
    ("include", helm::include, "s,a"),
    ("tpl", helm::tpl, "s,a"),
    ("lookup", helm::lookup, "s,s,s,s"),
];

/// Parses a compact signature from [`FUNCS`].
pub fn signature(sig: &str) -> Signature {
    let ty = |c: &str| match c {
        "s" => ParamType::String,
        "i" => ParamType::Int,
        "f" => ParamType::Float64,
        "b" => ParamType::Bool,
        "l" => ParamType::List,
        "m" => ParamType::Map,
        _ => ParamType::Any,
    };
    let mut params: Vec<&str> = if sig.is_empty() {
        Vec::new()
    } else {
        sig.split(',').collect()
    };
    match params.last().and_then(|l| l.strip_suffix("...")) {
        Some(rest) => {
            let rest = ty(rest);
            params.pop();
            Signature::variadic(&params.iter().map(|p| ty(p)).collect::<Vec<_>>(), rest)
        }
        None => Signature::fixed(&params.iter().map(|p| ty(p)).collect::<Vec<_>>()),
    }
}

/// Adds every sprig and Helm function to `map`, with default options
/// (OS-seeded randomness, the real clock).
pub fn register(map: &mut FuncMap) {
    register_with(map, Options::default());
}

/// Adds every function to `map`, sharing one [`Env`] built from `opts`.
pub fn register_with(map: &mut FuncMap, opts: Options) {
    let env = Arc::new(Env::new(opts));
    for (name, f, sig) in FUNCS {
        let env = env.clone();
        let f = *f;
        map.register_typed(
            *name,
            signature(sig),
            move |ctx: &mut dyn CallContext, args: &[Value]| f(&env, ctx, args),
        );
    }
}
