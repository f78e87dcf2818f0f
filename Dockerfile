# holdfast as a container: mount the engine socket and a volume for the store.
#   docker build -t holdfast .
#   docker run -d --name holdfast --restart unless-stopped \
#     -v /var/run/docker.sock:/var/run/docker.sock -v holdfast-data:/var/lib/holdfast \
#     -e HOLDFAST_API_TOKEN -p 127.0.0.1:8080:8080 holdfast
#
# The bases are build arguments so that machines without a public registry can build the same
# file from bases of their own (the test suite imports Debian bookworm ones made with mmdebstrap:
# src/test/docker/build-bases.sh). Any base works that has `mvn` and a JDK 17 (build) or a Java 17
# runtime (run) on the PATH.
ARG BUILD_IMAGE=maven:3.9-eclipse-temurin-17
ARG RUNTIME_IMAGE=eclipse-temurin:17-jre

FROM ${BUILD_IMAGE} AS build
WORKDIR /src
# the dependencies in a layer of their own: a change of the sources does not download them again
COPY pom.xml .
RUN mvn -B -q -ntp dependency:go-offline
COPY src src
RUN mvn -B -q -ntp package -DskipTests -Dspotless.check.skip=true

FROM ${RUNTIME_IMAGE}
COPY --from=build /src/target/holdfast.jar /opt/holdfast/holdfast.jar
# the JVM settings scripts/serve.sh uses too (small heap, C1 only, serial GC: see the file)
COPY src/main/jvm/jvm.options /opt/holdfast/jvm.options
# The store's directory belongs to nobody (65534), so that a fresh volume mounted there lets holdfast
# run as that user too (--user 65534:65534 --group-add <the socket's group>); root writes it anyway
RUN mkdir -p /var/lib/holdfast && chown 65534:65534 /var/lib/holdfast
ENV HOLDFAST_DATA_DIR=/var/lib/holdfast \
    HOLDFAST_LISTEN=0.0.0.0:8080 \
    MALLOC_ARENA_MAX=2
VOLUME /var/lib/holdfast
EXPOSE 8080
# holdfast itself is never a group member: it finds its own container id and leaves it out
# The check is holdfast's own probe of /healthz, in exec form: no shell or curl in the image
HEALTHCHECK --interval=30s --timeout=10s --start-period=60s --retries=3 \
  CMD ["java", "-Xmx8m", "-Xss256k", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xshare:auto", \
       "-cp", "/opt/holdfast/holdfast.jar", "dev.holdfast.app.HealthProbe"]
# SIGTERM (docker stop) ends runs at a step boundary within HOLDFAST_STOP_TIMEOUT (8 s), inside
# docker stop's 10 s
STOPSIGNAL SIGTERM
# Other JVM settings: --entrypoint java, then @/opt/holdfast/jvm.options, yours, -jar ... (the last
# of a repeated flag wins)
ENTRYPOINT ["java", "@/opt/holdfast/jvm.options", "-jar", "/opt/holdfast/holdfast.jar"]
CMD ["serve"]
