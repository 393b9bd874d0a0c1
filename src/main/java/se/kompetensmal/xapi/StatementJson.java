package se.kompetensmal.xapi;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import gov.adlnet.xapi.model.Actor;
import gov.adlnet.xapi.model.IStatementObject;
import gov.adlnet.xapi.model.Statement;
import gov.adlnet.xapi.model.adapters.ActorAdapter;
import gov.adlnet.xapi.model.adapters.StatementObjectAdapter;

/** Statements to and from JSON the way the xAPI client itself reads and writes them. */
final class StatementJson {

    private static final Gson GSON = new GsonBuilder()
            .registerTypeAdapter(Actor.class, new ActorAdapter())
            .registerTypeAdapter(IStatementObject.class, new StatementObjectAdapter())
            .create();

    private StatementJson() {
    }

    static String write(Statement statement) {
        return GSON.toJson(statement);
    }

    static Statement read(String json) {
        return GSON.fromJson(json, Statement.class);
    }
}
