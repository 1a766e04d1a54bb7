package io.cairn.cli.config;

import io.cairn.cli.CliFailure;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * Where the CLI finds Cairn and its token: the environment ({@code CAIRN_TOKEN}, {@code CAIRN_CHECKPOINT_URL},
 * {@code CAIRN_BACKUP_URL}) over a properties file ({@code token}, {@code token-file}, {@code checkpoint-url},
 * {@code backup-url}); a file that holds or names a token others can read is refused, as ssh refuses such a key.
 */
public record CliConfig(String token, String checkpointUrl, String backupUrl) {
    public static final String DEFAULT_CHECKPOINT_URL = "http://127.0.0.1:18081";
    public static final String DEFAULT_BACKUP_URL = "http://127.0.0.1:18082";

    /**
     * @param env      the environment
     * @param explicit the {@code --config} file (must exist), or null for {@code ~/.config/cairn/cli.properties}
     *                 (used when it exists)
     * @param home     the user's home directory
     */
    public static CliConfig load(Map<String, String> env, Path explicit, Path home) {
        Path file = explicit != null ? explicit : home.resolve(".config/cairn/cli.properties");
        Properties props = new Properties();
        if (explicit != null || Files.exists(file)) {
            props = read(file);
        }
        String fileToken = tokenOf(props, file);
        return new CliConfig(
                first(env.get("CAIRN_TOKEN"), fileToken),
                trimSlash(first(env.get("CAIRN_CHECKPOINT_URL"), props.getProperty("checkpoint-url"),
                        DEFAULT_CHECKPOINT_URL)),
                trimSlash(first(env.get("CAIRN_BACKUP_URL"), props.getProperty("backup-url"), DEFAULT_BACKUP_URL)));
    }

    /** The token, or the auth failure a call without one would meet anyway, said before anything is sent. */
    public String requireToken() {
        if (token == null) {
            throw CliFailure.auth("no token: set CAIRN_TOKEN, or token-file= in ~/.config/cairn/cli.properties "
                    + "(or --config FILE)");
        }
        return token;
    }

    private static Properties read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw CliFailure.auth("config file " + file + " does not exist or is not a regular file");
        }
        Properties props = new Properties();
        try (Reader reader = Files.newBufferedReader(file)) {
            props.load(reader);
        } catch (IOException e) {
            throw CliFailure.auth("cannot read config file " + file + ": " + e.getMessage());
        }
        return props;
    }

    private static String tokenOf(Properties props, Path file) {
        String inline = props.getProperty("token");
        String tokenFile = props.getProperty("token-file");
        if (inline != null && tokenFile != null) {
            throw CliFailure.auth("config file " + file + " has both token= and token-file=; keep one");
        }
        if (inline != null) {
            requirePrivate(file, "config file " + file + " holds a token");
            return blankToNull(inline.trim());
        }
        if (tokenFile != null) {
            Path path = file.toAbsolutePath().getParent().resolve(expandHome(tokenFile.trim()));
            requirePrivate(path, "token file " + path);
            try {
                return blankToNull(Files.readString(path).trim());
            } catch (IOException e) {
                throw CliFailure.auth("cannot read token file " + path + ": " + e.getMessage());
            }
        }
        return null;
    }

    /** A bearer token acts as its holder: a file others can read gives it to them. */
    private static void requirePrivate(Path path, String what) {
        Set<PosixFilePermission> perms;
        try {
            perms = Files.getPosixFilePermissions(path);
        } catch (IOException | UnsupportedOperationException e) {
            throw CliFailure.auth("cannot check who may read " + path + ": " + e.getMessage());
        }
        if (perms.contains(PosixFilePermission.GROUP_READ) || perms.contains(PosixFilePermission.OTHERS_READ)) {
            throw CliFailure.auth(what + " but is readable by others (" + PosixFilePermissions.toString(perms)
                    + "): anyone who can read it can act as you; run chmod 600 " + path);
        }
    }

    private static String expandHome(String path) {
        return path.startsWith("~/") ? System.getProperty("user.home") + path.substring(1) : path;
    }

    private static String first(String... values) {
        for (String value : values) {
            if (value != null && !value.isBlank()) {
                return value.trim();
            }
        }
        return null;
    }

    private static String blankToNull(String value) {
        return value.isEmpty() ? null : value;
    }

    private static String trimSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
