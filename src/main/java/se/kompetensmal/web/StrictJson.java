package se.kompetensmal.web;

import io.micronaut.core.type.Argument;
import io.micronaut.serde.Decoder;
import io.micronaut.serde.Deserializer;
import io.micronaut.serde.exceptions.InvalidPropertyFormatException;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.util.Optional;

/**
 * JSON read as written. Left to itself the serializer takes {@code "yes"} for false and 5.9 for 5; these replace its
 * readers of true/false and of whole numbers so that such a value is refused, and the field named, instead.
 */
public final class StrictJson {

    private StrictJson() {
    }

    /** The property a refused value was given for, if the conversion failed inside a JSON body. */
    static Optional<FieldProblem> problemIn(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof InvalidPropertyFormatException invalid) {
                Argument<?> property = invalid.getArgument();
                return Optional.of(InputProblems.notReadable(property.getName(), property.getType()));
            }
            if (cause.getCause() == cause) {
                break;
            }
        }
        return Optional.empty();
    }

    /** true or false, nothing else. */
    @Singleton
    public static class Flag implements Deserializer<Boolean> {

        @Override
        public Boolean deserialize(Decoder decoder, DecoderContext context, Argument<? super Boolean> type) throws IOException {
            Object value = decoder.decodeArbitrary();
            if (value instanceof Boolean flag) {
                return flag;
            }
            throw decoder.createDeserializationException("not true or false", String.valueOf(value));
        }
    }

    /** A whole number within int, nothing else: no text, no decimals. */
    @Singleton
    public static class WholeNumber implements Deserializer<Integer> {

        @Override
        public Integer deserialize(Decoder decoder, DecoderContext context, Argument<? super Integer> type) throws IOException {
            Object value = decoder.decodeArbitrary();
            if ((value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte
                    || value instanceof java.math.BigInteger) && ((Number) value).longValue() == ((Number) value).intValue()
                    && (!(value instanceof java.math.BigInteger big) || big.bitLength() < 32)) {
                return ((Number) value).intValue();
            }
            throw decoder.createDeserializationException("not a whole number", String.valueOf(value));
        }
    }
}
