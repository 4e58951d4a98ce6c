# One image per Voxline service, from the Boot fat jar that `mvn -B -DskipTests package` leaves in
# <service>/target/<service>-<version>-exec.jar. docker-compose.yml builds it once per service:
#   docker build --build-arg SERVICE=stt-service -t voxline/stt-service .
ARG JAVA_IMAGE=eclipse-temurin:17-jre
FROM ${JAVA_IMAGE}

ARG SERVICE
RUN test -n "${SERVICE}" || { echo "build with --build-arg SERVICE=<gateway|vad|stt|llm|tts|metrics>-service" >&2; exit 1; } \
    && useradd --system --uid 10001 --home-dir /app --shell /usr/sbin/nologin voxline

WORKDIR /app
COPY ${SERVICE}/target/${SERVICE}-*-exec.jar /app/service.jar
COPY observability/docker/healthcheck.sh /usr/local/bin/voxline-healthcheck

USER voxline
ENV VOXLINE_SERVICE=${SERVICE} \
    JAVA_OPTS="-XX:+UseSerialGC -Xss512k -XX:MaxRAMPercentage=75"
# exec: the JVM becomes PID 1, so the SIGTERM of `docker stop` reaches it and Spring shuts down gracefully
ENTRYPOINT ["sh", "-c", "exec java $JAVA_OPTS -jar /app/service.jar \"$@\"", "--"]
