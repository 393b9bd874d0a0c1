package se.kompetensmal.security;

import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The one password policy, as a link's page and the settings page use it: length, username, common passwords. */
class PasswordPolicyTest {

    private final PasswordPolicy policy = new PasswordPolicy();

    @Test
    void aLongUncommonPasswordIsAccepted() {
        assertEquals(Optional.empty(), policy.problem("blå cykel vid ån i maj", "anna.berg@kommun.example"));
        assertEquals(Optional.empty(), policy.problem("Tre gröna kaktusar dansar", "anna.berg"));
    }

    @Test
    void twelveCharactersAreTheLeastAndTheyAreCountedAsPeopleSeeThem() {
        assertEquals("Lösenordet är för kort: det har 11 tecken och ska ha minst 12.",
                policy.problem("kvrx-tpmw-j", "anna").orElseThrow());
        assertEquals(Optional.empty(), policy.problem("kvrx-tpmw-jq", "anna"));
        // å, ä and ö typed as one character or as a letter with a combining ring count once.
        assertEquals(Optional.empty(), policy.problem("åäöåäöåäökvx", "anna"));
        assertTrue(policy.problem("a\u030aa\u0308o\u0308åäöåäökv", "anna").orElseThrow().contains("11 tecken"));
    }

    @Test
    void anOverlongPasswordIsRefusedWithTheLimit() {
        assertEquals(Optional.empty(), policy.problem("q".repeat(60) + "w".repeat(68), "anna"));
        assertEquals("Lösenordet är för långt: det får ha högst 128 tecken.",
                policy.problem("q".repeat(60) + "w".repeat(69), "anna").orElseThrow());
    }

    @Test
    void aBlankPasswordIsAskedFor() {
        assertEquals("Skriv ett lösenord.", policy.problem("", "anna").orElseThrow());
        assertEquals("Skriv ett lösenord.", policy.problem(null, "anna").orElseThrow());
    }

    @Test
    void theUsernameMayNotBeThePasswordNorInIt() {
        String refused = "Lösenordet får inte innehålla ditt användarnamn.";
        assertEquals(refused, policy.problem("karl.gustafsson", "karl.gustafsson").orElseThrow());
        assertEquals(refused, policy.problem("Karl.Gustafsson-Vinter", "karl.gustafsson").orElseThrow());
        // An e-mail username: the address, and the part before @ too.
        assertEquals(refused, policy.problem("ANNA.BERG@kommun.example!", "anna.berg@kommun.example").orElseThrow());
        assertEquals(refused, policy.problem("anna.berg-tulpanträd", "anna.berg@kommun.example").orElseThrow());
    }

    @Test
    void commonPasswordsAreRefusedWhateverTheirCaseSwedishOnesIncluded() {
        String refused = "Lösenordet är för vanligt och lätt att gissa. Välj ett annat, till exempel några ord som bara du sätter ihop.";
        for (String common : new String[] {"lösenord1234", "LÖSENORD1234", "Välkommen2024!", "qwertyuiop123", "123456789012",
                "passwordpassword", "correcthorsebatterystaple", "Sommaren2025!"}) {
            assertEquals(refused, policy.problem(common, "anna").orElse("accepted"), common);
        }
    }

    @Test
    void aCommonPasswordDressedUpWithDigitsAndSymbolsAtTheEndIsStillCommon() {
        assertTrue(policy.isCommon("sommar2024"));
        assertTrue(policy.isCommon("lösenord123"));
        assertTrue(policy.isCommon("hammarby1897!!!"));
        assertTrue(policy.isCommon("göteborg 2030 #1"));
        // A common word inside a longer phrase is not the password being common.
        assertEquals(Optional.empty(), policy.problem("sommar vid havet i Ystad", "anna"));
    }

    @Test
    void theShippedListIsReadInFull() {
        assertTrue(policy.size() > 5_000, "entries: " + policy.size());
    }
}
