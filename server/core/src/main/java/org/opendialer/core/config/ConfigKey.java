package org.opendialer.core.config;

/**
 * Every configuration key of the gateway, read from the environment. This enum is the single
 * source of truth; docs/configuration.md documents each key and a test keeps the two in step.
 */
public enum ConfigKey {
    HTTP_PORT("DIALER_HTTP_PORT", "8080",
            "TCP port of the gateway (SDK bundles, dialer app, WebSocket, admin API)."),
    BIND_ADDRESS("DIALER_BIND_ADDRESS", "127.0.0.1",
            "Address the gateway and the demo site listen on; 0.0.0.0 for every interface."),
    PUBLIC_URL("DIALER_PUBLIC_URL", "http://127.0.0.1:<DIALER_HTTP_PORT> (https when TLS is on)",
            "The URL browsers use to reach the gateway (scheme, host and port, no path)."),
    DEMO_PORT("DIALER_DEMO_PORT", "8081",
            "Port of the demo host page, served at http://localhost:<port>/; 0 disables it."),
    ALLOWED_ORIGINS("DIALER_ALLOWED_ORIGINS",
            "http://localhost:<DIALER_DEMO_PORT> (when the demo is on) and the public URL's origin",
            "Comma-separated origins of the host pages allowed to embed the dialer."),
    DEFAULT_REGION("DIALER_DEFAULT_REGION", "US",
            "ISO 3166 region used to parse phone numbers that do not start with +."),
    DATA_DIR("DIALER_DATA_DIR", "./data",
            "Directory for the gateway's own files (the default H2 database)."),
    WEB_DIR("DIALER_WEB_DIR", "./web",
            "Directory holding the built web assets: sdk/dist, dialer/dist and demo."),
    DB_URL("DIALER_DB_URL", "jdbc:h2:file:<DIALER_DATA_DIR>/dialer",
            "JDBC URL of the accounts database (H2 or PostgreSQL)."),
    DB_USER("DIALER_DB_USER", "(empty)", "Database user name."),
    DB_PASSWORD("DIALER_DB_PASSWORD", "(empty)", "Database password."),
    ADMIN_KEY("DIALER_ADMIN_KEY", "(unset: admin API disabled)",
            "Bearer key for the admin REST API; at least 16 characters."),
    SESSION_IDLE_TTL_S("DIALER_SESSION_IDLE_TTL_S", "43200",
            "Seconds a sign-in session lives without use before it expires."),
    SIGNIN_TOKEN_TTL_S("DIALER_SIGNIN_TOKEN_TTL_S", "300",
            "Seconds a single-use sign-in token minted by the admin API stays valid."),
    TLS_CERT("DIALER_TLS_CERT", "(unset)",
            "PEM certificate chain file; with DIALER_TLS_KEY the gateway serves HTTPS."),
    TLS_KEY("DIALER_TLS_KEY", "(unset)",
            "PEM private key file (PKCS#8 or PKCS#1, unencrypted) matching DIALER_TLS_CERT."),
    LOG_LEVEL("DIALER_LOG_LEVEL", "info",
            "Log level: trace, debug, info, warn or error."),
    SIP_TRUNK("DIALER_SIP_TRUNK", "(unset: the built-in sandbox carrier)",
            "SIP URI of the trunk calls to E.164 numbers go to, e.g. sip:127.0.0.1:5070;transport=tcp."),
    SIP_LISTEN_ADDRESS("DIALER_SIP_LISTEN_ADDRESS", "0.0.0.0 (127.0.0.1 with the sandbox)",
            "Address the SIP port binds to (UDP and TCP)."),
    SANDBOX("DIALER_SANDBOX", "on",
            "Without DIALER_SIP_TRUNK, run the built-in sandbox carrier as the trunk; off refuses calls to numbers."),
    SIP_PORT("DIALER_SIP_PORT", "5060", "SIP port of the gateway, UDP and TCP."),
    SIP_USERNAME("DIALER_SIP_USERNAME", "(unset)", "Digest username for 401/407 challenges from the trunk."),
    SIP_PASSWORD("DIALER_SIP_PASSWORD", "(unset)", "Digest password; set together with DIALER_SIP_USERNAME."),
    SIP_ALLOWED_SOURCES("DIALER_SIP_ALLOWED_SOURCES", "(unset: only the trunk and the PBX registrars)",
            "Comma-separated IP addresses or CIDR blocks that may send INVITEs besides the trunk and the registrars."),
    SIP_SESSION_EXPIRES_S("DIALER_SIP_SESSION_EXPIRES_S", "1800",
            "Session interval (RFC 4028) asked for in our INVITEs; 0 = we ask for none (far ends that ask are still served)."),
    SIP_MIN_SE_S("DIALER_SIP_MIN_SE_S", "90",
            "Smallest session interval accepted (Min-SE, at least 90); a request below it gets 422."),
    SIP_REGISTER("DIALER_SIP_REGISTER", "off",
            "on: register with the trunk using DIALER_SIP_USERNAME/PASSWORD (trunks that authenticate by REGISTER)."),
    SIP_TLS_PORT("DIALER_SIP_TLS_PORT", "5061",
            "SIP-over-TLS port of the gateway, opened when DIALER_SIP_TRUNK is sips: or ;transport=tls."),
    SIP_TLS_CA_FILE("DIALER_SIP_TLS_CA_FILE", "(unset: the JVM's trust store)",
            "PEM file of the CA certificates a TLS trunk's certificate must chain to (its host name is always checked)."),
    SIP_SRTP("DIALER_SIP_SRTP", "off",
            "SRTP with SDES keys (RFC 4568) toward the trunk: off, optional (SRTP when the trunk takes it) or required."),
    PUBLIC_ADDRESS("DIALER_PUBLIC_ADDRESS", "(the SIP listen address, or this host's address)",
            "Address advertised to the trunk in Via, Contact and SDP."),
    RING_TIMEOUT_S("DIALER_RING_TIMEOUT_S", "60",
            "Seconds an unanswered call may ring, either direction, before it ends with no_answer."),
    RTP_PORTS("DIALER_RTP_PORTS", "20000-20999",
            "UDP port range of the RTP endpoints toward SIP (min-max); each call uses an even port and the next one."),
    WEBRTC_PORT("DIALER_WEBRTC_PORT", "19000",
            "The one UDP port every browser's audio (ICE, DTLS-SRTP) uses; open it to the dialers' networks."),
    WEBRTC_ADDRESS("DIALER_WEBRTC_ADDRESS", "(DIALER_PUBLIC_ADDRESS when it is an IP address, else 127.0.0.1)",
            "IP address browsers reach DIALER_WEBRTC_PORT at: the host candidate in SDP answers."),
    RTP_TIMEOUT_S("DIALER_RTP_TIMEOUT_S", "30",
            "Seconds an answered call may go without RTP from a leg before it ends with media_timeout."),
    ABSENT_USER_GRACE_MS("DIALER_ABSENT_USER_GRACE_MS", "2000",
            "Milliseconds an inbound call for a user with no connected dialer rings before it gets 480 (0-10000)."),
    SIP_MAX_REDIRECTS("DIALER_SIP_MAX_REDIRECTS", "3",
            "How many 3xx redirects of one outbound call are followed (0-10); 0 ends the call at the first."),
    SIP_CALLER_ID("DIALER_SIP_CALLER_ID", "unset: each user's own number",
            "Caller ID of trunk calls: unset for each user's number, an E.164 number for all, or anonymous."),
    ALLOWED_COUNTRIES("DIALER_ALLOWED_COUNTRIES", "(unset: every country)",
            "Comma-separated ISO 3166 regions users may call (e.g. US,CA); other countries are refused."),
    BLOCKED_PREFIXES("DIALER_BLOCKED_PREFIXES", "(unset)",
            "Comma-separated E.164 prefixes nobody may call (e.g. +4470,+3389); premium rate and shared cost are refused anyway."),
    CALLS_PER_MINUTE("DIALER_CALLS_PER_MINUTE", "10",
            "Calls to numbers one user may place in any minute; 0 = no limit."),
    CALLS_PER_DAY("DIALER_CALLS_PER_DAY", "300",
            "Calls to numbers one user may place in any 24 hours; 0 = no limit."),
    WEBRTC_TCP_PORT("DIALER_WEBRTC_TCP_PORT", "(the value of DIALER_WEBRTC_PORT)",
            "TCP port of the passive ICE-TCP candidate, for browsers that cannot send UDP; 0 turns it off."),
    TURN_URLS("DIALER_TURN_URLS", "(unset: no TURN server)",
            "Comma-separated turn: and turns: URLs of a TURN server dialers may relay their audio through."),
    TURN_SECRET("DIALER_TURN_SECRET", "(unset)",
            "The TURN server's shared secret (coturn static-auth-secret); required with DIALER_TURN_URLS."),
    TURN_TTL_S("DIALER_TURN_TTL_S", "86400",
            "Seconds the TURN credentials handed to a dialer stay valid."),
    MEDIA_CONNECT_TIMEOUT_S("DIALER_MEDIA_CONNECT_TIMEOUT_S", "10",
            "Seconds after the answer within which the browser's audio must connect, else the call ends with media_failed."),
    SIGNIN_WINDOW_S("DIALER_SIGNIN_WINDOW_S", "10",
            "Seconds a WebSocket may stay open without a signed-in session before the gateway closes it (1-15)."),
    ANONYMOUS_SOCKETS_PER_ADDRESS("DIALER_ANONYMOUS_SOCKETS_PER_ADDRESS", "20",
            "WebSockets without a signed-in session one client address may have open at once."),
    SIGNIN_RATE_PER_ADDRESS("DIALER_SIGNIN_RATE_PER_ADDRESS", "30",
            "Password sign-in attempts per minute from one client address, checked before any hashing."),
    SIGNIN_RATE_GLOBAL("DIALER_SIGNIN_RATE_GLOBAL", "300",
            "Password sign-in attempts per minute from all addresses together, checked before any hashing."),
    PASSWORD_CHECK_THREADS("DIALER_PASSWORD_CHECK_THREADS", "(the number of CPU cores)",
            "Argon2 password checks that run at once; up to 50 per thread wait, more are refused at once."),
    SIGNIN_LOCKOUT_FAILURES("DIALER_SIGNIN_LOCKOUT_FAILURES", "5",
            "Wrong passwords for one username from one address before that pair is locked."),
    SIGNIN_LOCKOUT_S("DIALER_SIGNIN_LOCKOUT_S", "30",
            "Seconds of the first lock of a (username, address) pair; each further failure doubles it, up to 32 times."),
    ADMIN_FAILURES_PER_ADDRESS("DIALER_ADMIN_FAILURES_PER_ADDRESS", "10",
            "Wrong admin keys per minute from one address before its admin API requests get 429."),
    SECRET_KEY("DIALER_SECRET_KEY", "(unset: the key file <DIALER_DATA_DIR>/secret.key, created 0600 at first start)",
            "Base64 of 32 random bytes: the AES-256-GCM key PBX account passwords are encrypted with in the database."),
    CALL_WAITING("DIALER_CALL_WAITING", "on",
            "on: a call to a user on an answered call rings as a second call; off: the caller gets busy."),
    METRICS_PORT("DIALER_METRICS_PORT", "9464",
            "Port of the Prometheus GET /metrics endpoint, on DIALER_BIND_ADDRESS; 0 turns it off."),
    WEBHOOK_URL("DIALER_WEBHOOK_URL", "(unset: no webhooks)",
            "URL that receives call.started, call.answered and call.ended (https, or http on loopback)."),
    WEBHOOK_SECRET("DIALER_WEBHOOK_SECRET", "(unset; required with DIALER_WEBHOOK_URL)",
            "Signing secret, whsec_ followed by base64 of 24 to 64 random bytes (Standard Webhooks)."),
    WEBHOOK_RETRY_HOURS("DIALER_WEBHOOK_RETRY_HOURS", "24",
            "Hours a webhook delivery is retried (exponential backoff with jitter) before it is marked failed."),
    LOG_FORMAT("DIALER_LOG_FORMAT", "text",
            "Log format on standard output: text, or json (one JSON object per line, for log shippers)."),
    CLUSTER_SECRET("DIALER_CLUSTER_SECRET", "(unset: a single gateway)",
            "Set: this gateway is node DIALER_NODE_NAME of a cluster behind a SIP edge (DIALER_SIP_TRUNK) and HAProxy; the digest password of its REGISTERs at the edge."),
    NODE_NAME("DIALER_NODE_NAME", "(this host's name)",
            "Name of this gateway node in GET /healthz and the logs (1-64 of A-Z a-z 0-9 . _ -); unique per node of a cluster."),
    DRAIN_TIMEOUT_S("DIALER_DRAIN_TIMEOUT_S", "600",
            "Seconds a SIGTERM waits for live calls to end (taking no new ones) before it ends them and exits; 0 = at once.");

    private final String envName;
    private final String defaultDescription;
    private final String meaning;

    ConfigKey(String envName, String defaultDescription, String meaning) {
        this.envName = envName;
        this.defaultDescription = defaultDescription;
        this.meaning = meaning;
    }

    public String envName() {
        return envName;
    }

    public String defaultDescription() {
        return defaultDescription;
    }

    public String meaning() {
        return meaning;
    }
}
