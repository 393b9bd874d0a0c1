package se.kompetensmal.sql;

import io.micronaut.data.connection.annotation.Connectable;
import io.micronaut.data.jdbc.runtime.JdbcOperations;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * SQL with named parameters ({@code :unit}) and rows read by column name: for the queries a repository's {@code @Query}
 * cannot hold (a filter that may be absent, an order chosen by the user from a fixed list). A name may occur several
 * times; every name must have a value (null included), so a misspelt one fails at once instead of binding nothing.
 * Text in quotes and {@code ::} are left alone.
 */
@Singleton
@Connectable
public class NamedSql {

    private final JdbcOperations jdbc;

    public NamedSql(JdbcOperations jdbc) {
        this.jdbc = jdbc;
    }

    /** Parameters by name; unlike {@code Map.of}, a value may be null (an absent filter). */
    public static final class Params extends java.util.LinkedHashMap<String, Object> {
        public Params and(String name, Object value) {
            put(name, value);
            return this;
        }
    }

    public static Params with(String name, Object value) {
        return new Params().and(name, value);
    }

    /** Maps one row, read by column label. */
    @FunctionalInterface
    public interface RowMapper<T> {
        T map(Row row) throws SQLException;
    }

    public <T> List<T> list(String sql, Map<String, ?> parameters, RowMapper<T> mapper) {
        Parsed parsed = Parsed.of(sql);
        return jdbc.prepareStatement(parsed.sql(), statement -> {
            parsed.bind(statement, parameters);
            List<T> rows = new ArrayList<>();
            try (ResultSet rs = statement.executeQuery()) {
                Row row = new Row(rs);
                while (rs.next()) {
                    rows.add(mapper.map(row));
                }
            }
            return rows;
        });
    }

    /** Takes one row of a streamed result; may write it somewhere that fails (a download the browser gave up). */
    @FunctionalInterface
    public interface Each<T> {
        void accept(T row) throws IOException;
    }

    /**
     * The rows one by one as the server sends them, never all held at once: the MariaDB driver streams a result read
     * with a fetch size, {@link #STREAMED} rows at a time. For exports of a whole list (a region's follow-up: tens of
     * thousands of people). The connection is busy until the last row: the consumer must not query meanwhile. Answers
     * the number of rows; what the consumer throws ends the query and is thrown on.
     */
    public <T> long forEach(String sql, Map<String, ?> parameters, RowMapper<T> mapper, Each<T> consumer) throws IOException {
        Parsed parsed = Parsed.of(sql);
        try {
            return jdbc.prepareStatement(parsed.sql(), statement -> {
                parsed.bind(statement, parameters);
                statement.setFetchSize(STREAMED);
                long count = 0;
                try (ResultSet rs = statement.executeQuery()) {
                    Row row = new Row(rs);
                    while (rs.next()) {
                        consumer.accept(mapper.map(row));
                        count++;
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                return count;
            });
        } catch (RuntimeException e) {
            // The consumer's failure, however the data layer wrapped it.
            for (Throwable cause = e; cause != null; cause = cause.getCause()) {
                if (cause instanceof UncheckedIOException written) {
                    throw written.getCause();
                }
            }
            throw e;
        }
    }

    /** Rows fetched at a time by {@link #forEach}. */
    static final int STREAMED = 500;

    public <T> Optional<T> one(String sql, Map<String, ?> parameters, RowMapper<T> mapper) {
        return list(sql, parameters, mapper).stream().findFirst();
    }

    public long number(String sql, Map<String, ?> parameters) {
        return one(sql, parameters, row -> row.rs.getLong(1)).orElse(0L);
    }

    public int update(String sql, Map<String, ?> parameters) {
        Parsed parsed = Parsed.of(sql);
        return jdbc.prepareStatement(parsed.sql(), statement -> {
            parsed.bind(statement, parameters);
            return statement.executeUpdate();
        });
    }

    /**
     * Runs one statement for each set of parameters, as one JDBC batch: the statement is parsed and prepared once, and the
     * MariaDB driver sends the whole batch in one round trip (its bulk protocol). For loading many rows.
     */
    public int[] batch(String sql, List<? extends Map<String, ?>> rows) {
        if (rows.isEmpty()) {
            return new int[0];
        }
        Parsed parsed = Parsed.of(sql);
        return jdbc.prepareStatement(parsed.sql(), statement -> {
            for (Map<String, ?> row : rows) {
                parsed.bind(statement, row);
                statement.addBatch();
            }
            return statement.executeBatch();
        });
    }

    /** Runs an INSERT and answers the key it generated. */
    public long insert(String sql, Map<String, ?> parameters) {
        Parsed parsed = Parsed.of(sql);
        return jdbc.execute(connection -> {
            try (java.sql.PreparedStatement statement = connection.prepareStatement(parsed.sql(),
                    java.sql.Statement.RETURN_GENERATED_KEYS)) {
                parsed.bind(statement, parameters);
                statement.executeUpdate();
                try (ResultSet keys = statement.getGeneratedKeys()) {
                    keys.next();
                    return keys.getLong(1);
                }
            }
        });
    }

    /** A result row, read by column label; SQL NULL comes back as null. */
    public static final class Row {
        private final ResultSet rs;

        Row(ResultSet rs) {
            this.rs = rs;
        }

        public String string(String column) throws SQLException {
            return rs.getString(column);
        }

        public long number(String column) throws SQLException {
            return rs.getLong(column);
        }

        public Long nullableNumber(String column) throws SQLException {
            long value = rs.getLong(column);
            return rs.wasNull() ? null : value;
        }

        public Integer nullableInt(String column) throws SQLException {
            int value = rs.getInt(column);
            return rs.wasNull() ? null : value;
        }

        public boolean flag(String column) throws SQLException {
            return rs.getBoolean(column);
        }

        /** A BLOB's bytes (a module image). */
        public byte[] bytes(String column) throws SQLException {
            return rs.getBytes(column);
        }

        public LocalDate date(String column) throws SQLException {
            return rs.getObject(column, LocalDate.class);
        }

        /** A TIMESTAMP column as an instant; null stays null. */
        public java.time.Instant instant(String column) throws SQLException {
            java.sql.Timestamp time = rs.getTimestamp(column);
            return time == null ? null : time.toInstant();
        }

        /** A TIMESTAMP column as the Swedish day of its moment (see {@link se.kompetensmal.SwedishTime#day}). */
        public LocalDate swedishDay(String column) throws SQLException {
            return se.kompetensmal.SwedishTime.day(instant(column));
        }

        /** A DATETIME column holding a UTC wall-clock time (as db-scheduler's table does), as an instant; null stays null. */
        public java.time.Instant utcInstant(String column) throws SQLException {
            java.time.LocalDateTime time = rs.getObject(column, java.time.LocalDateTime.class);
            return time == null ? null : time.toInstant(java.time.ZoneOffset.UTC);
        }
    }

    /** The statement with {@code ?} in place of each name, and the names in order. */
    record Parsed(String sql, List<String> names) {

        static Parsed of(String sql) {
            StringBuilder out = new StringBuilder(sql.length());
            List<String> names = new ArrayList<>();
            char quote = 0;
            for (int i = 0; i < sql.length(); i++) {
                char c = sql.charAt(i);
                if (quote != 0) {
                    out.append(c);
                    if (c == quote) {
                        quote = 0;
                    }
                } else if (c == '\'' || c == '"' || c == '`') {
                    quote = c;
                    out.append(c);
                } else if (c == ':' && i + 1 < sql.length() && sql.charAt(i + 1) == ':') {
                    out.append("::");
                    i++;
                } else if (c == ':' && i + 1 < sql.length() && Character.isJavaIdentifierStart(sql.charAt(i + 1))) {
                    int end = i + 1;
                    while (end < sql.length() && Character.isJavaIdentifierPart(sql.charAt(end))) {
                        end++;
                    }
                    names.add(sql.substring(i + 1, end));
                    out.append('?');
                    i = end - 1;
                } else {
                    out.append(c);
                }
            }
            return new Parsed(out.toString(), List.copyOf(names));
        }

        void bind(PreparedStatement statement, Map<String, ?> parameters) throws SQLException {
            for (int i = 0; i < names.size(); i++) {
                String name = names.get(i);
                if (!parameters.containsKey(name)) {
                    throw new IllegalArgumentException("No value for :" + name);
                }
                Object value = parameters.get(name);
                if (value instanceof LocalDate date) {
                    statement.setDate(i + 1, Date.valueOf(date));
                } else if (value instanceof Enum<?> e) {
                    statement.setString(i + 1, e.name());
                } else {
                    statement.setObject(i + 1, value);
                }
            }
        }
    }
}
