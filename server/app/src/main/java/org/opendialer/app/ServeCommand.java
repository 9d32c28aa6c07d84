package org.opendialer.app;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.security.SecureRandom;
import java.time.Clock;
import org.opendialer.app.ws.EngineCalls;
import org.opendialer.core.accounts.AccountService;
import org.opendialer.core.accounts.CallLog;
import org.opendialer.core.accounts.Database;
import org.opendialer.core.accounts.NewUser;
import org.opendialer.core.calls.CallEngine;
import org.opendialer.core.config.GatewayConfig;

/** {@code serve}: opens the database, creates the demo user on first start, starts the web layer. */
final class ServeCommand {
    private static final String PASSWORD_ALPHABET =
            "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
    private static final int PASSWORD_LENGTH = 20;

    private ServeCommand() {}

    static int run(GatewayConfig config, PrintStream out, PrintStream err) {
        Database db;
        try {
            Files.createDirectories(config.dataDir());
            db = Database.open(config.dbUrl(), config.dbUser(), config.dbPassword());
        } catch (IOException | RuntimeException e) {
            err.println("Cannot open the database " + config.dbUrl() + ": " + e.getMessage());
            return 1;
        }
        AccountService accounts = new AccountService(db, Clock.systemUTC(),
                config.sessionIdleTtl(), config.signInTokenTtl());
        String demoPassword = null;
        GatewayServer server;
        CallEngine calls = null;
        try {
            if (!accounts.hasUsers()) {
                demoPassword = randomPassword();
                accounts.createUser(new NewUser("demo", demoPassword, "Demo Agent", "1001", null));
            }
            calls = CallEngines.create(config.sip(), accounts, db, Clock.systemUTC());
            calls.start();
            server = GatewayServer.start(config, accounts, new CallLog(db), new EngineCalls(calls), calls.pbx());
        } catch (Exception e) {
            if (calls != null) {
                calls.close();
            }
            db.close();
            err.println("Cannot start the gateway on " + config.bindAddress() + ": " + describe(e));
            return 1;
        }
        CallEngine engine = calls;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            // Calls first: SIGTERM sends BYE/CANCEL for every call and logs it before the database closes.
            engine.close();
            server.close();
            db.close();
        }, "gateway-shutdown"));
        out.println(banner(config, demoPassword));
        out.flush();
        return 0;
    }

    static String banner(GatewayConfig config, String demoPassword) {
        StringBuilder text = new StringBuilder();
        text.append("opendialer gateway ").append(AppVersion.get()).append('\n');
        text.append("  Dialer gateway: ").append(config.publicUrlText()).append('\n');
        if (config.demoEnabled()) {
            text.append("  Demo: http://localhost:").append(config.demoPort()).append("/\n");
        }
        text.append("  Allowed embedding origins: ").append(String.join(", ", config.allowedOrigins())).append('\n');
        text.append("  SIP trunk: ").append(config.sip().trunk().map(t -> t + " (SIP port " + config.sip().port() + ")")
                .orElse("none (set DIALER_SIP_TRUNK; extension calls only)")).append('\n');
        text.append("  Admin API: ").append(config.adminKey().isPresent() ? "enabled" : "disabled (set DIALER_ADMIN_KEY)").append('\n');
        if (demoPassword != null) {
            text.append("  First start: created user 'demo' (extension 1001)\n");
            text.append("    username: demo\n");
            text.append("    password: ").append(demoPassword).append("   (shown only this once)\n");
        }
        return text.toString();
    }

    static String randomPassword() {
        SecureRandom random = new SecureRandom();
        StringBuilder password = new StringBuilder(PASSWORD_LENGTH);
        for (int i = 0; i < PASSWORD_LENGTH; i++) {
            password.append(PASSWORD_ALPHABET.charAt(random.nextInt(PASSWORD_ALPHABET.length())));
        }
        return password.toString();
    }

    private static String describe(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        return root == e ? message : e.getMessage() + " (" + message + ")";
    }
}
