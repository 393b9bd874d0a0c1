package se.kompetensmal.security;

import io.micronaut.data.jdbc.runtime.JdbcOperations;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.exceptions.HttpStatusException;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import se.kompetensmal.web.Texts;

import java.sql.ResultSet;

/** Each account's language for the pages: Swedish unless the user has chosen English. */
@Singleton
public class Languages {

    private final JdbcOperations jdbc;

    public Languages(JdbcOperations jdbc) {
        this.jdbc = jdbc;
    }

    @Transactional(readOnly = true)
    public String of(Authentication authentication) {
        return jdbc.prepareStatement("SELECT language FROM user_account WHERE id = ?", statement -> {
            statement.setLong(1, Caller.of(authentication).accountId());
            try (ResultSet rs = statement.executeQuery()) {
                return rs.next() ? rs.getString(1) : Texts.SWEDISH;
            }
        });
    }

    @Transactional
    public void choose(Authentication authentication, String language) {
        if (!Texts.supports(language)) {
            throw new HttpStatusException(HttpStatus.UNPROCESSABLE_ENTITY, "Välj svenska eller engelska.");
        }
        jdbc.prepareStatement("UPDATE user_account SET language = ? WHERE id = ?", statement -> {
            statement.setString(1, language);
            statement.setLong(2, Caller.of(authentication).accountId());
            return statement.executeUpdate();
        });
    }
}
