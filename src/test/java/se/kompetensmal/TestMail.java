package se.kompetensmal;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetupTest;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.internet.MimeMessage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;

/** A real SMTP server (GreenMail) for a test's mails, and the mails read as their recipients read them. */
public final class TestMail {

    private TestMail() {
    }

    /** A port nobody listens on now, for the test's own SMTP server. */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static GreenMail startSmtp(int port) {
        GreenMail server = new GreenMail(ServerSetupTest.SMTP.port(port));
        server.start();
        return server;
    }

    /** The plain-text part, decoded, as the recipient reads it. */
    public static String text(MimeMessage message) throws MessagingException, IOException {
        Object content = message.getContent();
        if (content instanceof Multipart parts) {
            for (int i = 0; i < parts.getCount(); i++) {
                if (parts.getBodyPart(i).isMimeType("text/plain")) {
                    return (String) parts.getBodyPart(i).getContent();
                }
            }
        }
        return content.toString();
    }
}
