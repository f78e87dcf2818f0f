/**
 * Registry credentials for pulls and remote digest checks: per-registry logins from holdfast's
 * settings, a Docker client {@code config.json} ({@code auths}, identity tokens, {@code
 * credHelpers} and {@code credsStore}, whose {@code docker-credential-*} helpers are run), and the
 * {@code X-Registry-Auth} header the engine expects. Secrets never reach a log line, an exception
 * message or a {@code toString}.
 */
package dev.holdfast.docker.auth;
