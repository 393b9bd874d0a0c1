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

    @Override
    protected HttpURLConnection initializeConnection(URL url) throws IOException {
        HttpURLConnection connection = super.initializeConnection(url);
        connection.setRequestProperty("X-Experience-API-Version", version);
        connection.setConnectTimeout(5_000);
        connection.setReadTimeout(30_000);
        return connection;
    }
}
