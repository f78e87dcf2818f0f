# holdfast as a container: mount the engine socket and a volume for the store.
#   docker run -d --name holdfast -v /var/run/docker.sock:/var/run/docker.sock \
#     -v holdfast-data:/var/lib/holdfast -e HOLDFAST_API_TOKEN=... -p 127.0.0.1:8080:8080 holdfast
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml .
RUN mvn -B -q -ntp dependency:go-offline
COPY src src
RUN mvn -B -q -ntp package -DskipTests -Dspotless.check.skip=true

FROM eclipse-temurin:17-jre
COPY --from=build /src/target/holdfast.jar /opt/holdfast/holdfast.jar
ENV HOLDFAST_DATA_DIR=/var/lib/holdfast \
    HOLDFAST_LISTEN=0.0.0.0:8080
VOLUME /var/lib/holdfast
EXPOSE 8080
# holdfast itself is never a group member: it has no holdfast.* labels and joins no namespace
ENTRYPOINT ["java", "-XX:+UseSerialGC", "-XX:MaxRAMPercentage=50", "-jar", "/opt/holdfast/holdfast.jar"]
CMD ["serve"]
