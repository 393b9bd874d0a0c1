package se.kompetensmal.reminders;

import io.micronaut.context.annotation.Replaces;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.email.javamail.sender.DefaultSessionProvider;
import io.micronaut.email.javamail.sender.MailPropertiesProvider;
import io.micronaut.email.javamail.sender.SessionProvider;
import jakarta.inject.Singleton;
import jakarta.mail.Authenticator;
import jakarta.mail.Session;

import java.util.Properties;

/**
 * The mail session of this application, made from its own settings each time. Micronaut's default takes JavaMail's
 * JVM-wide default session, which keeps the settings of whichever application context asked first: a second context in
 * the same JVM (the test suite runs many) then sent its mail to the first one's server, long stopped.
 */
@Singleton
@Replaces(DefaultSessionProvider.class)
@Requires(beans = MailPropertiesProvider.class)
public class MailSession implements SessionProvider {

    private final MailPropertiesProvider properties;
    private final Authenticator authenticator;

    public MailSession(MailPropertiesProvider properties, @Nullable Authenticator authenticator) {
        this.properties = properties;
        this.authenticator = authenticator;
    }

    @Override
    public Session session() {
        Properties settings = properties.mailProperties();
        if (authenticator != null && !settings.containsKey("mail.smtp.auth")) {
            settings.put("mail.smtp.auth", "true");
        }
        return Session.getInstance(settings, authenticator);
    }
}
