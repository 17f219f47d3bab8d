//! The catalogue itself: the embedded `locales/` folder parsed into one Fluent bundle per
//! language, built once on first use. `key` may name a message (`case-kind-ban`) or one of its
//! attributes (`cmd-setup.description`).

use std::sync::LazyLock;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use include_dir::{Dir, include_dir};
use unic_langid::LanguageIdentifier;

/// The `locales/` folder, embedded at build time.
static LOCALES: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/locales");

static CATALOGUE: LazyLock<Catalogue> = LazyLock::new(|| {
    Catalogue::from_dir(&LOCALES).unwrap_or_else(|e| panic!("the embedded catalogue: {e}"))
});

/// The catalogue built from the embedded `locales/` folder.
pub fn catalogue() -> &'static Catalogue {
    &CATALOGUE
}

/// A language's bundle and the files it was read from.
struct Language {
    code: &'static str,
    bundle: FluentBundle<FluentResource>,
    files: Vec<(&'static str, &'static str)>,
}

/// Every language's messages.
pub struct Catalogue {
    languages: Vec<Language>,
    codes: Vec<&'static str>,
}

/// A `.ftl` file that does not parse, or defines a key twice.
#[derive(Debug, thiserror::Error)]
#[error("{file}: {problem}")]
pub struct CatalogueError {
    pub file: String,
    pub problem: String,
}

impl Catalogue {
    /// Reads every `<code>/*.ftl` of `dir`.
    pub fn from_dir(dir: &'static Dir<'static>) -> Result<Catalogue, CatalogueError> {
        let mut languages = Vec::new();
        let mut folders: Vec<&Dir<'static>> = dir.dirs().collect();
        folders.sort_by_key(|d| d.path());
        for folder in folders {
            let code = folder
                .path()
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or_default();
            let mut files: Vec<(&'static str, &'static str)> = folder
                .files()
                .filter(|f| f.path().extension().is_some_and(|e| e == "ftl"))
                .map(|f| {
                    let path = f.path().to_str().unwrap_or_default();
                    (path, f.contents_utf8().unwrap_or_default())
                })
                .collect();
            files.sort();
            languages.push(Language::parse(code, files)?);
        }
        let codes = languages.iter().map(|l| l.code).collect();
        Ok(Catalogue { languages, codes })
    }

    /// The language codes, sorted.
    pub fn languages(&self) -> &[&'static str] {
        &self.codes
    }

    /// The `.ftl` files of a language, as (path in `locales/`, text).
    pub fn files(&self, code: &str) -> &[(&'static str, &'static str)] {
        self.language(code).map_or(&[], |l| &l.files)
    }

    fn language(&self, code: &str) -> Option<&Language> {
        self.languages.iter().find(|l| l.code == code)
    }

    /// `key` in `code` only, without falling back: `None` when that language lacks it.
    pub fn lookup(
        &self,
        code: &str,
        key: &str,
        args: &[(&str, FluentValue<'_>)],
    ) -> Option<String> {
        self.language(code)?.format(key, args)
    }

    /// `key` in `code`, else in English, else the key itself.
    pub fn format(&self, code: &str, key: &str, args: &[(&str, FluentValue<'_>)]) -> String {
        self.lookup(code, key, args)
            .or_else(|| self.lookup(super::Lang::EN.code(), key, args))
            .unwrap_or_else(|| {
                tracing::warn!(key, language = code, "catalogue key missing");
                key.to_string()
            })
    }
}

impl Language {
    fn parse(
        code: &'static str,
        files: Vec<(&'static str, &'static str)>,
    ) -> Result<Language, CatalogueError> {
        let id: LanguageIdentifier = code.parse().map_err(|e| CatalogueError {
            file: code.to_string(),
            problem: format!("not a language code: {e}"),
        })?;
        let mut bundle = FluentBundle::new_concurrent(vec![id]);
        // Discord shows the isolation marks Fluent puts around arguments; mentions break.
        bundle.set_use_isolating(false);
        for (path, text) in &files {
            let resource = FluentResource::try_new(text.to_string()).map_err(|(_, errors)| {
                CatalogueError {
                    file: path.to_string(),
                    problem: errors
                        .iter()
                        .map(|e| format!("{e} (bytes {:?})", e.pos))
                        .collect::<Vec<_>>()
                        .join("; "),
                }
            })?;
            bundle
                .add_resource(resource)
                .map_err(|errors| CatalogueError {
                    file: path.to_string(),
                    problem: errors
                        .iter()
                        .map(ToString::to_string)
                        .collect::<Vec<_>>()
                        .join("; "),
                })?;
        }
        Ok(Language {
            code,
            bundle,
            files,
        })
    }

    fn format(&self, key: &str, args: &[(&str, FluentValue<'_>)]) -> Option<String> {
        let (id, attribute) = match key.split_once('.') {
            Some((id, attribute)) => (id, Some(attribute)),
            None => (key, None),
        };
        let message = self.bundle.get_message(id)?;
        let pattern = match attribute {
            Some(attribute) => message.get_attribute(attribute)?.value(),
            None => message.value()?,
        };
        let mut fluent_args = FluentArgs::new();
        for (name, value) in args {
            fluent_args.set(*name, value.clone());
        }
        let mut errors = Vec::new();
        let text = self
            .bundle
            .format_pattern(pattern, Some(&fluent_args), &mut errors);
        if !errors.is_empty() {
            tracing::warn!(
                key,
                language = self.code,
                ?errors,
                "catalogue message formatted with errors"
            );
        }
        Some(text.into_owned())
    }
}
