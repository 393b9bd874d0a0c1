package se.kompetensmal.catalog;

/** A module was withdrawn: it gets no new assignments from now on. Published after the withdrawal is committed. */
public record ModuleWithdrawn(String code, long byAccountId) {
}
