package se.kompetensmal.security;

import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import io.micronaut.email.Email;
import io.micronaut.email.EmailSender;
import jakarta.inject.Singleton;
import se.kompetensmal.SwedishTime;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * The mail with a link to choose a password, sent over SMTP when a mail server is configured (like the reminders). It
 * says the username, since the person needs it to sign in, and how long the link holds. The link goes to the public
 * address ({@code kompetensmal.public-url}), never to whatever host the administrator's request named.
 */
@Singleton
@Requires(property = "javamail.enabled", value = "true")
public class AccountMail {

    private final EmailSender<?, ?> email;
    private final String from;
    private final String publicUrl;

    public AccountMail(EmailSender<?, ?> email, @Value("${kompetensmal.mail.from:`kompetensmal@localhost`}") String from,
                       @Value("${kompetensmal.public-url:`http://localhost:8080`}") String publicUrl) {
        this.email = email;
        this.from = from;
        this.publicUrl = publicUrl.endsWith("/") ? publicUrl.substring(0, publicUrl.length() - 1) : publicUrl;
    }

    /** The address of the page that takes the token. */
    String link(String token) {
        return publicUrl + PasswordLinkPages.PATH + "?" + PasswordLinkPages.TOKEN + "=" + URLEncoder.encode(token, StandardCharsets.UTF_8);
    }

    /** Sends the link; throws when the mail server does not take it. */
    void sendLink(String to, String givenName, String username, boolean hadPassword, String token, Instant expiresAt) {
        String body = "Hej " + givenName + "!\n\n"
                + (hadPassword
                    ? "Här är en länk för att välja ett nytt lösenord till ditt konto i Kompetensmål."
                    : "Du har fått ett konto i Kompetensmål, där du ser och genomför din utbildning.")
                + "\n\nDitt användarnamn: " + username
                + "\n\nVälj ditt lösenord här:\n" + link(token)
                + "\n\nLänken gäller till " + SwedishTime.format(expiresAt) + " och kan användas en gång. Lösenordet ska ha minst "
                + PasswordPolicy.MIN_LENGTH + " tecken."
                + "\n\nHar du inte väntat dig det här meddelandet kan du bortse från det: ingen kan logga in med kontot utan"
                + " att välja ett lösenord med länken."
                + "\n\nDet här är ett automatiskt meddelande från Kompetensmål. Frågor besvaras av den som administrerar"
                + " Kompetensmål i din organisation.\n";
        email.send(Email.builder().from(from).to(to).subject("Välj ditt lösenord till Kompetensmål").body(body));
    }
}
