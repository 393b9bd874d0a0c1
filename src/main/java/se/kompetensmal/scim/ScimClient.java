package se.kompetensmal.scim;

import io.micronaut.core.annotation.Nullable;

/**
 * Who is calling SCIM: a token of one organisation, which reaches that node and everything under it; with the audience a
 * user in no group is given, if the token names one.
 */
public record ScimClient(long tokenId, long orgNodeId, String tokenName, @Nullable Long defaultAudienceId) {

    /** How the caller is named in the audit log and on what it writes (ended_by, audit actor). */
    public String actor() {
        return "SCIM: " + tokenName;
    }
}
