package se.kompetensmal.bench;

import io.micronaut.context.ApplicationContext;
import io.micronaut.data.jdbc.runtime.JdbcOperations;
import io.micronaut.transaction.TransactionOperations;

import java.util.ArrayList;
import java.util.List;

/** The ids a query selects, for picking the people a measurement works with. */
final class Ids {

    private Ids() {
    }

    static List<Long> of(ApplicationContext context, String sql, long... parameters) {
        JdbcOperations jdbc = context.getBean(JdbcOperations.class);
        TransactionOperations<?> tx = context.getBean(TransactionOperations.class);
        return tx.executeRead(status -> jdbc.prepareStatement(sql, statement -> {
            for (int i = 0; i < parameters.length; i++) {
                statement.setLong(i + 1, parameters[i]);
            }
            List<Long> ids = new ArrayList<>();
            try (var rs = statement.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getLong(1));
                }
            }
            return ids;
        }));
    }
}
