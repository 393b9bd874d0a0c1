package se.kompetensmal.xapi;

import gov.adlnet.xapi.client.StatementClient;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.MalformedURLException;
import java.net.URL;

/** ADL's statement client, speaking the xAPI version the LRS is configured for (the client itself always says 1.0.3). */
class LrsClient extends StatementClient {

    private final String version;

    LrsClient(String endpoint, String username, String password, String version) throws MalformedURLException {
        super(endpoint, username, password);
        this.version = version;
    }

    private final ThreadLocal<HttpURLConnection> last = new ThreadLocal<>();

    @Override
    protected HttpURLConnection initializeConnection(URL url) throws IOException {
        HttpURLConnection connection = super.initializeConnection(url);
        last.set(connection);
        connection.setRequestProperty("X-Experience-API-Version", version);
        connection.setConnectTimeout(5_000);
        connection.setReadTimeout(30_000);
        return connection;
    }

    /**
     * The HTTP status of this thread's last request, or 0 when the LRS did not answer at all. The client's own error
     * message loses it when an error answer has no body.
     */
    int lastStatus() {
        HttpURLConnection connection = last.get();
        try {
            return connection == null ? 0 : connection.getResponseCode();
        } catch (IOException noAnswer) {
            return 0;
        }
    }
}
