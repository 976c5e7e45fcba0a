//! The generator config's sections, each shown on `tests/fixtures/config/shop.yaml` (whose
//! `shop.oapi.toml` uses all of them; `.ci/run` also compiles it and runs its examples), and
//! every kind of mistake in a config refused with the key named.

use std::path::PathBuf;

use generator::config::Config;

use super::{options, root};

fn shop() -> PathBuf {
    root().join("tests/fixtures/config/shop.yaml")
}

#[test]
fn every_section_shapes_the_generated_crate() {
    let spec = shop();
    let options = generator::emit::Options {
        config: Config::find(&spec, None).unwrap(),
        ..options("shop-client")
    };
    let generated = generator::generate_crate(&spec, &options).unwrap();
    let file = |name: &str| generated.files[&PathBuf::from(name)].clone();
    let cargo = file("Cargo.toml");
    for line in [
        "version = \"2.1.0\"",
        "description = \"Shop API client\"",
        "license = \"MIT\"",
        "repository = \"https://example.test/shop-client\"",
        "url = { version = \"2\", features = [\"serde\"] }",
    ] {
        assert!(cargo.contains(line), "{line}\n{cargo}");
    }
    let types = file("src/generated/types.rs");
    for expected in [
        // A type renamed, a property renamed (still `itemName` on the wire), extra derives.
        "#[derive(Hash, Eq)]\n#[non_exhaustive]\npub struct Item {",
        "#[serde(rename = \"itemName\")]\n    pub title: String,",
        // Formats and a schema mapped to the user's types.
        "pub homepage: url::Url,",
        "pub origin_ip: Option<std::net::Ipv4Addr>,",
        "pub type Labels = std::collections::BTreeMap<String, String>;",
        "#[derive(Eq)]\n#[non_exhaustive]\npub struct Health {",
    ] {
        assert!(types.contains(expected), "{expected}\n{types}");
    }
    assert!(!types.contains("ShopItemV2"), "{types}");
    let operations = file("src/generated/operations.rs");
    assert!(
        operations.contains("pub fn fetch_item(&self"),
        "{operations}"
    );
    assert!(
        operations.contains("pub fn list_items(&self"),
        "{operations}"
    );
    // Relative links in the spec's prose resolve against `[docs] base_url`, not the server.
    assert!(
        operations.contains(
            "see [paging](https://docs.shop.example.test/api/paging.md) and \
             [limits](https://docs.shop.example.test/limits)"
        ),
        "{operations}"
    );
    // `/internal` is not included; `admin` is excluded.
    assert!(!operations.contains("fn health(") && !operations.contains("fn reindex("));
}

#[test]
fn config_mistakes_are_refused_naming_the_key() {
    let loaded = generator::load::load_file(&shop()).unwrap();
    let cases: &[(&str, &str, &str)] = &[
        ("[typs]\n", "line 1, column 2", "unknown field `typs`"),
        (
            "[docs]\nbase_url = \"/guides\"\n",
            "docs.base_url",
            "not an absolute http(s) URL",
        ),
        (
            "[crate]\nnme = \"x\"\n",
            "line 2, column 1",
            "unknown field `nme`",
        ),
        (
            "[crate]\nname = \"9 lives\"\n",
            "crate.name",
            "not a package name",
        ),
        (
            "[types.format]\nuri = { type = \"not a type\" }\n",
            "types.format.uri",
            "not a Rust type",
        ),
        (
            "[types.format]\nuri = { type = \"url::Url\" }\n",
            "types.format.uri",
            "needs `version`",
        ),
        (
            "[types]\nderives = [\"Has h\"]\n",
            "types.derives",
            "not a derive path",
        ),
        (
            "[types.derive]\nNope = [\"Hash\"]\n",
            "types.derive.Nope",
            "no schema `Nope`",
        ),
        (
            "[types.schema]\nNope = { type = \"String\" }\n",
            "types.schema.Nope",
            "no schema `Nope`",
        ),
        (
            "[rename.types]\nNope = \"X\"\n",
            "rename.types.Nope",
            "no schema `Nope`",
        ),
        (
            "[rename.types]\nShopItem_v2 = \"Health\"\n",
            "rename.types.ShopItem_v2",
            "already the name of another type",
        ),
        (
            "[rename.types]\nShopItem_v2 = \"Thing\"\nHealth = \"Thing\"\n",
            "rename.types.",
            "already the name of another type",
        ),
        (
            "[rename.types]\nHealth = \"2x\"\n",
            "rename.types.Health",
            "not a Rust identifier",
        ),
        (
            "[rename.properties]\n\"ShopItem_v2.itemName\" = \"id\"\n",
            "rename.properties.\"ShopItem_v2.itemName\"",
            "already has a field named `id`",
        ),
        (
            "[rename.properties]\n\"ShopItem_v2.nope\" = \"x\"\n",
            "rename.properties.\"ShopItem_v2.nope\"",
            "no property `nope`",
        ),
        (
            "[rename.operations]\ngetItemById = \"list_items\"\n",
            "rename.operations.getItemById",
            "already the name of another method",
        ),
        (
            "[rename.operations]\nnope = \"x\"\n",
            "rename.operations.nope",
            "no operation",
        ),
        (
            "[operations]\nexclude = { tags = [\"nope\"] }\n",
            "operations.exclude.tags",
            "no tag `nope`",
        ),
        (
            "[operations]\ninclude = { paths = [\"/nope\"] }\n",
            "operations.include.paths",
            "no path starts with `/nope`",
        ),
        (
            "[operations]\nexclude = { ids = [\"nope\"] }\n",
            "operations.exclude.ids",
            "no operation",
        ),
    ];
    for (text, key, message) in cases {
        let error = match Config::parse(text) {
            Err(e) => e,
            Ok(mut config) => {
                config.path = Some(PathBuf::from("shop.oapi.toml"));
                let e = generator::lower::lower_with(&loaded, &config)
                    .expect_err(&format!("accepted:\n{text}"));
                assert!(e.to_string().starts_with("shop.oapi.toml at "), "{e}");
                e
            }
        };
        let location = error.location.clone().unwrap_or_default();
        assert!(
            location.starts_with(key),
            "{text}: at {location:?}, expected {key}"
        );
        assert!(error.message.contains(message), "{text}: {error}");
    }
}
