package org.opendialer.app;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.time.Clock;
import java.util.List;
import java.util.function.Supplier;
import org.opendialer.core.accounts.AccountException;
import org.opendialer.core.accounts.AccountService;
import org.opendialer.core.accounts.Database;
import org.opendialer.core.accounts.NewUser;
import org.opendialer.core.accounts.User;
import org.opendialer.core.config.GatewayConfig;

/** {@code user add NAME --extension N [--number E164] [--display-name TEXT]}; password from stdin. */
final class UserCommand {
    private UserCommand() {}

    static int run(GatewayConfig config, List<String> args, Supplier<String> passwordLine,
            PrintStream out, PrintStream err) {
        if (args.size() < 2 || !args.get(0).equals("add") || args.get(1).startsWith("--")) {
            err.println(Main.usage());
            return Main.EXIT_USAGE;
        }
        String username = args.get(1);
        String extension = null;
        String number = null;
        String displayName = username;
        for (int i = 2; i < args.size(); i += 2) {
            String option = args.get(i);
            if (i + 1 >= args.size()) {
                err.println("Option " + option + " needs a value.");
                return Main.EXIT_USAGE;
            }
            String value = args.get(i + 1);
            switch (option) {
                case "--extension" -> extension = value;
                case "--number" -> number = value;
                case "--display-name" -> displayName = value;
                default -> {
                    err.println("Unknown option " + option + ".\n" + Main.usage());
                    return Main.EXIT_USAGE;
                }
            }
        }
        if (extension == null) {
            err.println("--extension is required.");
            return Main.EXIT_USAGE;
        }
        String password = passwordLine.get();
        if (password == null || password.isEmpty()) {
            err.println("Give the password as the first line of standard input.");
            return Main.EXIT_USAGE;
        }
        try {
            Files.createDirectories(config.dataDir());
        } catch (IOException e) {
            err.println("Cannot create " + config.dataDir() + ": " + e.getMessage());
            return 1;
        }
        try (Database db = Database.open(config.dbUrl(), config.dbUser(), config.dbPassword())) {
            AccountService accounts = new AccountService(db, Clock.systemUTC(),
                    config.sessionIdleTtl(), config.signInTokenTtl());
            User user = accounts.createUser(new NewUser(username, password, displayName, extension, number));
            out.println("Created user " + user.username() + " (extension " + user.extension()
                    + (user.number() == null ? "" : ", number " + user.number()) + ").");
            return 0;
        } catch (AccountException e) {
            err.println("Cannot add user " + username + ": " + e.getMessage());
            return 1;
        } catch (RuntimeException e) {
            err.println("Cannot add user " + username + ": " + e.getMessage());
            return 1;
        }
    }
}
