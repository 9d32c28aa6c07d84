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
import org.opendialer.core.accounts.SipAccount;
import org.opendialer.core.accounts.User;
import org.opendialer.core.config.GatewayConfig;

/**
 * {@code user add NAME --extension N [--number E164] [--display-name TEXT]
 * [--sip-registrar URI --sip-username NAME [--sip-auth-username NAME]]}; the password is the first line of
 * stdin, the PBX account's password (with --sip-registrar) the second.
 */
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
        String sipRegistrar = null;
        String sipUsername = null;
        String sipAuthUsername = null;
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
                case "--sip-registrar" -> sipRegistrar = value;
                case "--sip-username" -> sipUsername = value;
                case "--sip-auth-username" -> sipAuthUsername = value;
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
        if ((sipRegistrar == null) != (sipUsername == null) || (sipAuthUsername != null && sipRegistrar == null)) {
            err.println("--sip-registrar and --sip-username go together (--sip-auth-username needs both).");
            return Main.EXIT_USAGE;
        }
        String password = passwordLine.get();
        if (password == null || password.isEmpty()) {
            err.println("Give the password as the first line of standard input.");
            return Main.EXIT_USAGE;
        }
        SipAccount sipAccount = null;
        if (sipRegistrar != null) {
            String sipPassword = passwordLine.get();
            if (sipPassword == null || sipPassword.isEmpty()) {
                err.println("Give the PBX account's password as the second line of standard input.");
                return Main.EXIT_USAGE;
            }
            try {
                sipAccount = new SipAccount(sipRegistrar, sipUsername, sipAuthUsername, sipPassword);
            } catch (AccountException e) {
                err.println("Cannot add user " + username + ": " + e.getMessage());
                return Main.EXIT_USAGE;
            }
        }
        org.opendialer.core.accounts.SecretBox secrets;
        try {
            DataDir.prepare(config.dataDir());
            secrets = DataDir.secretBox(config);
        } catch (IOException e) {
            err.println("Cannot create " + config.dataDir() + ": " + e.getMessage());
            return 1;
        }
        try (Database db = Database.open(config.dbUrl(), config.dbUser(), config.dbPassword())) {
            DataDir.protectFiles(config.dataDir());
            AccountService accounts = new AccountService(db, Clock.systemUTC(), config.sessionIdleTtl(),
                    config.signInTokenTtl(), org.opendialer.core.accounts.PasswordHasher.DEFAULT,
                    config.security().signIn(), secrets);
            User user = accounts.createUser(new NewUser(username, password, displayName, extension, number));
            if (sipAccount != null) {
                try {
                    accounts.setSipAccount(user.username(), sipAccount);
                } catch (RuntimeException e) {
                    accounts.deleteUser(user.username());
                    throw e;
                }
            }
            out.println("Created user " + user.username() + " (extension " + user.extension()
                    + (user.number() == null ? "" : ", number " + user.number())
                    + (sipAccount == null ? "" : ", PBX account " + sipAccount.username() + " at "
                            + sipAccount.registrar()) + ").");
            return 0;
        } catch (AccountException e) {
            err.println("Cannot add user " + username + ": " + e.getMessage());
            return 1;
        } catch (IOException | RuntimeException e) {
            err.println("Cannot add user " + username + ": " + e.getMessage());
            return 1;
        }
    }
}
