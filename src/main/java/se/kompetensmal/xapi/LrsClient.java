package se.kompetensmal.xapi;

import gov.adlnet.xapi.client.StatementClient;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.MalformedURLException;
import java.net.URL;

/** ADL's statement client, speaking the xAPI version the LRS is configured for (the client itself always says 1.0.3). */
class LrsClient extends StatementClient {

    private final String version;
    /** The endpoint's path ("/xAPI"), which a "more" link repeats. */
    private final String basePath;

    LrsClient(String endpoint, String username, String password, String version) throws MalformedURLException {
        super(endpoint, username, password);
        this.version = version;
        this.basePath = new URL(endpoint).getPath().replaceFirst("/+$", "");
    }

    /**
     * The next page of a reading. xAPI's "more" link is relative to the server's root and so starts with the endpoint's
     * path, which the client puts in front once more ("/xAPI/xAPI/statements"): taken off here.
     */
    @Override
    public gov.adlnet.xapi.model.StatementResult getStatements(String more) throws IOException {
        String path = more;
        if (path.startsWith("http://") || path.startsWith("https://")) {
            java.net.URI uri = java.net.URI.create(path);
            path = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        }
        if (!basePath.isEmpty() && path.startsWith(basePath + "/")) {
            path = path.substring(basePath.length());
        }
        return super.getStatements(path);
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
