# Builds the production jar (no embedded database in it) and runs it on a JRE.
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml .
COPY src src
COPY migrations migrations
RUN mvn -B -q -DskipTests package

FROM eclipse-temurin:17-jre
WORKDIR /app
COPY --from=build /src/target/kompetensmal-*.jar /app/kompetensmal.jar
COPY courses /app/courses
ENV KOMPETENSMAL_COURSES_DIR=/app/courses \
    TZ=Europe/Stockholm
RUN useradd --system --uid 10001 kompetensmal
USER kompetensmal
EXPOSE 8080
ENTRYPOINT ["java", "-jar", "/app/kompetensmal.jar"]
