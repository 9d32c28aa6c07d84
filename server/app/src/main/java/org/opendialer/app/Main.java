package org.opendialer.app;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.opendialer.core.config.ConfigException;
import org.opendialer.core.config.DestinationSettings;
import org.opendialer.core.config.GatewayConfig;
import org.opendialer.core.config.NodeConfig;
import org.opendialer.core.config.OpsConfig;

/** Command line: {@code serve} (default) or {@code user add NAME --extension N ...}. */
public final class Main {
    static final int EXIT_USAGE = 64;
    static final int EXIT_CONFIG = 2;

    private Main() {}

    public static void main(String[] args) {
        int code = run(List.of(args), System.getenv(), System.out, System.err);
        if (code != 0) {
            System.exit(code);
        }
    }

    /** Runs a command; returns the exit code (serve returns only when start-up fails). */
    static int run(List<String> args, Map<String, String> env, PrintStream out, PrintStream err) {
        GatewayConfig config;
        DestinationSettings destinations;
        OpsConfig ops;
        org.opendialer.core.config.ClusterConfig cluster;
        NodeConfig node;
        try {
            config = GatewayConfig.from(env);
            destinations = DestinationSettings.from(env);
            ops = OpsConfig.from(env);
                        node = NodeConfig.from(env);
            cluster = org.opendialer.core.config.ClusterConfig.from(env, node.name());
        } catch (ConfigException e) {
            err.println("Configuration error: " + e.getMessage());
            return EXIT_CONFIG;
        }
        LogSetup.apply(config.logLevel(), ops.jsonLogs());
        String command = args.isEmpty() ? "serve" : args.get(0);
        switch (command) {
            case "serve":
                return ServeCommand.run(config, destinations, ops, node, cluster, out, err);
            case "user":
                return UserCommand.run(config, args.subList(1, args.size()), stdinLines(), out, err);
            case "help", "--help", "-h":
                out.println(usage());
                return 0;
            default:
                err.println("Unknown command '" + command + "'.\n" + usage());
                return EXIT_USAGE;
        }
    }

    static String usage() {
        return String.join("\n", Arrays.asList(
                "Usage: java -jar opendialer-gateway.jar [serve]",
                "       java -jar opendialer-gateway.jar user add NAME --extension N [--number E164]"
                        + " [--display-name TEXT]   (password: first line of stdin)",
                "           [--sip-registrar SIP-URI --sip-username NAME [--sip-auth-username NAME]]"
                        + "   (PBX account; its password: second line of stdin)",
                "Configuration: environment variables DIALER_*, see docs/configuration.md"));
    }

    /** Each call reads the next line of standard input (null at its end), through one shared reader. */
    private static java.util.function.Supplier<String> stdinLines() {
        BufferedReader reader = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        return () -> readLine(reader);
    }

    private static String readLine(BufferedReader reader) {
        try {
            return reader.readLine();
        } catch (java.io.IOException e) {
            return null;
        }
    }
}
