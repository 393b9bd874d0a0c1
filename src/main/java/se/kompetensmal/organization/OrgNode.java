package se.kompetensmal.organization;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.GeneratedValue;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import io.micronaut.serde.annotation.Serdeable;

/** A node of the organisation tree: a huvudman, an administration, an operation or a unit. */
@Serdeable
@MappedEntity("org_node")
public record OrgNode(
        @Id @GeneratedValue @Nullable Long id,
        String code,
        String name,
        OrgNodeKind kind,
        @Nullable Long parentId) {

    public String kindSv() {
        return kind.labelSv();
    }
}
