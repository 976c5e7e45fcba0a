//! What the generated API refuses at compile time, with the compiler's message checked: an
//! entity's id where another entity's is expected, and a model built without a required field
//! (the message names the field).

#[test]
fn misuse_of_the_generated_api_does_not_compile() {
    let cases = trybuild::TestCases::new();
    cases.compile_fail("cases/*.rs");
}
