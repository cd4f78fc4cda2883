//! Sprig v3 and Helm's template functions, with Helm-exact YAML and JSON.
//!
//! [`register`] / [`register_with`] fill a [`tusk_template::FuncMap`] with
//! every function a chart can call under helm 3.17.2: sprig v3.3.0 (minus
//! `env` and `expandenv`, which helm removes) and helm's own (`include`,
//! `tpl`, `required`, `toYaml`, `fromYaml`, `lookup`, ...). All names are
//! registered from the single table in [`FUNCS`]; the implementations live
//! in one module per family (`strings`, `lists`, `dicts`, `math`, ...).
//!
//! Below the functions sit the serialization layers helm uses, reproduced
//! byte for byte: [`yaml`] (sigs.k8s.io/yaml over go-yaml v2: value typing
//! on the way in, go-yaml's emitter on the way out) and [`json`] (Go's
//! encoding/json). [`files::Files`] is the `.Files` object.
//!
//! Randomness (`randAlphaNum`, `uuidv4`, `genCA`, ...) comes from a ChaCha20
//! generator that [`Options::seed`] makes repeatable; the clock (`now`) can
//! be fixed with [`Options::now`]. Functions that need the running engine
//! (`include`, `tpl`) reach it through [`tusk_template::CallContext`].
//!
//! This crate knows nothing about charts.

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
pub mod strings;
pub mod toml;
pub mod urls;
pub mod yaml;

use std::sync::{Arc, Mutex};
use std::time::SystemTime;

use rand::{Rng, RngCore, SeedableRng};
use rand_chacha::ChaCha20Rng;
use tusk_template::{CallContext, FuncError, FuncMap, Value};

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

/// Every function name with its implementation (helm 3.17.2's function
/// map: sprig's `TxtFuncMap` minus env/expandenv, plus helm's extras and
/// overrides).
pub const FUNCS: &[(&str, Impl)] = &[
    // strings
    ("hello", strings::hello),
    ("trim", strings::trim),
    ("trimAll", strings::trim_all),
    ("trimall", strings::trim_all),
    ("trimPrefix", strings::trim_prefix),
    ("trimSuffix", strings::trim_suffix),
    ("upper", strings::upper),
    ("lower", strings::lower),
    ("title", strings::title),
    ("untitle", strings::untitle),
    ("repeat", strings::repeat),
    ("substr", strings::substr),
    ("nospace", strings::nospace),
    ("trunc", strings::trunc),
    ("abbrev", strings::abbrev),
    ("abbrevboth", strings::abbrevboth),
    ("initials", strings::initials),
    ("randAlphaNum", strings::rand_alpha_num),
    ("randAlpha", strings::rand_alpha),
    ("randAscii", strings::rand_ascii),
    ("randNumeric", strings::rand_numeric),
    ("swapcase", strings::swapcase),
    ("shuffle", strings::shuffle),
    ("snakecase", strings::snakecase),
    ("camelcase", strings::camelcase),
    ("kebabcase", strings::kebabcase),
    ("wrap", strings::wrap),
    ("wrapWith", strings::wrap_with),
    ("contains", strings::contains),
    ("hasPrefix", strings::has_prefix),
    ("hasSuffix", strings::has_suffix),
    ("quote", strings::quote),
    ("squote", strings::squote),
    ("cat", strings::cat),
    ("indent", strings::indent),
    ("nindent", strings::nindent),
    ("replace", strings::replace),
    ("plural", strings::plural),
    ("toString", strings::to_string),
    ("toStrings", strings::to_strings),
    ("split", strings::split),
    ("splitList", strings::split_list),
    ("splitn", strings::splitn),
    ("join", strings::join),
    ("sortAlpha", strings::sort_alpha),
    // regular expressions
    ("regexMatch", strings::regex_match),
    ("mustRegexMatch", strings::must_regex_match),
    ("regexFindAll", strings::regex_find_all),
    ("mustRegexFindAll", strings::must_regex_find_all),
    ("regexFind", strings::regex_find),
    ("mustRegexFind", strings::must_regex_find),
    ("regexReplaceAll", strings::regex_replace_all),
    ("mustRegexReplaceAll", strings::must_regex_replace_all),
    ("regexReplaceAllLiteral", strings::regex_replace_all_literal),
    (
        "mustRegexReplaceAllLiteral",
        strings::must_regex_replace_all_literal,
    ),
    ("regexSplit", strings::regex_split),
    ("mustRegexSplit", strings::must_regex_split),
    ("regexQuoteMeta", strings::regex_quote_meta),
    // conversions and math
    ("atoi", math::atoi),
    ("int", math::to_int),
    ("int64", math::to_int64),
    ("float64", math::to_float64),
    ("toDecimal", math::to_decimal),
    ("add", math::add),
    ("add1", math::add1),
    ("sub", math::sub),
    ("mul", math::mul),
    ("div", math::div),
    ("mod", math::modulo),
    ("max", math::max),
    ("biggest", math::max),
    ("min", math::min),
    ("maxf", math::maxf),
    ("minf", math::minf),
    ("floor", math::floor),
    ("ceil", math::ceil),
    ("round", math::round),
    ("addf", math::addf),
    ("add1f", math::add1f),
    ("subf", math::subf),
    ("mulf", math::mulf),
    ("divf", math::divf),
    ("seq", lists::seq),
    ("until", lists::until),
    ("untilStep", lists::until_step_fn),
    // defaults and flow
    ("default", flow::default),
    ("empty", flow::empty_fn),
    ("coalesce", flow::coalesce),
    ("all", flow::all),
    ("any", flow::any),
    ("ternary", flow::ternary),
    ("fail", flow::fail),
    ("required", flow::required),
    // lists
    ("list", lists::list_fn),
    ("tuple", lists::list_fn),
    ("append", lists::push),
    ("push", lists::push),
    ("mustAppend", lists::push),
    ("mustPush", lists::push),
    ("prepend", lists::prepend),
    ("mustPrepend", lists::prepend),
    ("first", lists::first),
    ("mustFirst", lists::first),
    ("rest", lists::rest),
    ("mustRest", lists::rest),
    ("last", lists::last),
    ("mustLast", lists::last),
    ("initial", lists::initial),
    ("mustInitial", lists::initial),
    ("reverse", lists::reverse),
    ("mustReverse", lists::reverse),
    ("uniq", lists::uniq),
    ("mustUniq", lists::uniq),
    ("without", lists::without),
    ("mustWithout", lists::without),
    ("has", lists::has),
    ("mustHas", lists::has),
    ("compact", lists::compact),
    ("mustCompact", lists::compact),
    ("slice", lists::slice),
    ("mustSlice", lists::slice),
    ("concat", lists::concat),
    ("chunk", lists::chunk),
    ("mustChunk", lists::chunk),
    // dicts
    ("dict", dicts::dict),
    ("get", dicts::get),
    ("set", dicts::set),
    ("unset", dicts::unset),
    ("hasKey", dicts::has_key),
    ("pluck", dicts::pluck),
    ("keys", dicts::keys),
    ("pick", dicts::pick),
    ("omit", dicts::omit),
    ("values", dicts::values),
    ("merge", dicts::merge),
    ("mustMerge", dicts::merge),
    ("mergeOverwrite", dicts::merge_overwrite),
    ("mustMergeOverwrite", dicts::merge_overwrite),
    ("deepCopy", dicts::deep_copy),
    ("mustDeepCopy", dicts::deep_copy),
    ("dig", dicts::dig),
    // encodings and serialization
    ("b64enc", encoding::b64enc),
    ("b64dec", encoding::b64dec),
    ("b32enc", encoding::b32enc),
    ("b32dec", encoding::b32dec),
    ("toJson", encoding::to_json),
    ("mustToJson", encoding::must_to_json),
    ("toPrettyJson", encoding::to_pretty_json),
    ("mustToPrettyJson", encoding::must_to_pretty_json),
    ("toRawJson", encoding::to_raw_json),
    ("mustToRawJson", encoding::to_raw_json),
    ("fromJson", encoding::from_json),
    ("fromJsonArray", encoding::from_json_array),
    ("mustFromJson", encoding::must_from_json),
    ("toYaml", encoding::to_yaml),
    ("toYamlPretty", encoding::to_yaml_pretty),
    ("fromYaml", encoding::from_yaml),
    ("fromYamlArray", encoding::from_yaml_array),
    ("toToml", toml::to_toml),
    ("fromToml", toml::from_toml),
    // reflection
    ("typeOf", reflect::type_of),
    ("typeIs", reflect::type_is),
    ("typeIsLike", reflect::type_is_like),
    ("kindOf", reflect::kind_of),
    ("kindIs", reflect::kind_is),
    ("deepEqual", reflect::deep_equal_fn),
    // paths
    ("base", paths::base_fn),
    ("dir", paths::dir_fn),
    ("clean", paths::clean_fn),
    ("ext", paths::ext_fn),
    ("isAbs", paths::is_abs),
    ("osBase", paths::base_fn),
    ("osDir", paths::dir_fn),
    ("osClean", paths::clean_fn),
    ("osExt", paths::ext_fn),
    ("osIsAbs", paths::is_abs),
    // urls and network
    ("urlParse", urls::url_parse),
    ("urlJoin", urls::url_join),
    ("getHostByName", urls::get_host_by_name),
    // dates
    ("now", dates::now),
    ("date", dates::date),
    ("dateInZone", dates::date_in_zone),
    ("date_in_zone", dates::date_in_zone),
    ("dateModify", dates::date_modify),
    ("date_modify", dates::date_modify),
    ("mustDateModify", dates::must_date_modify),
    ("must_date_modify", dates::must_date_modify),
    ("htmlDate", dates::html_date),
    ("htmlDateInZone", dates::html_date_in_zone),
    ("ago", dates::ago),
    ("duration", dates::duration),
    ("durationRound", dates::duration_round),
    ("toDate", dates::to_date),
    ("mustToDate", dates::must_to_date),
    ("unixEpoch", dates::unix_epoch),
    // hashes, random values, crypto
    ("sha1sum", crypto::sha1sum),
    ("sha256sum", crypto::sha256sum),
    ("sha512sum", crypto::sha512sum),
    ("adler32sum", crypto::adler32sum),
    ("bcrypt", crypto::bcrypt_fn),
    ("htpasswd", crypto::htpasswd),
    ("randBytes", crypto::rand_bytes),
    ("randInt", crypto::rand_int),
    ("uuidv4", crypto::uuidv4),
    ("derivePassword", crypto::derive_password),
    ("encryptAES", crypto::encrypt_aes),
    ("decryptAES", crypto::decrypt_aes),
    ("genPrivateKey", certs::gen_private_key),
    ("genCA", certs::gen_ca),
    ("genCAWithKey", certs::gen_ca_with_key),
    ("genSelfSignedCert", certs::gen_self_signed_cert),
    (
        "genSelfSignedCertWithKey",
        certs::gen_self_signed_cert_with_key,
    ),
    ("genSignedCert", certs::gen_signed_cert),
    ("genSignedCertWithKey", certs::gen_signed_cert_with_key),
    ("buildCustomCert", certs::build_custom_cert),
    // semantic versions
    ("semver", semver::semver),
    ("semverCompare", semver::semver_compare),
    // helm's engine functions
    ("include", helm::include),
    ("tpl", helm::tpl),
    ("lookup", helm::lookup),
];

/// Adds every sprig and Helm function to `map`, with default options
/// (OS-seeded randomness, the real clock).
pub fn register(map: &mut FuncMap) {
    register_with(map, Options::default());
}

/// Adds every function to `map`, sharing one [`Env`] built from `opts`.
pub fn register_with(map: &mut FuncMap, opts: Options) {
    let env = Arc::new(Env::new(opts));
    for (name, f) in FUNCS {
        let env = env.clone();
        let f = *f;
        map.register(*name, move |ctx: &mut dyn CallContext, args: &[Value]| {
            f(&env, ctx, args)
        });
    }
}
