package dev.platform.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.platform.aws.dynamodb.DynamoApiStore;
import dev.platform.core.api.Accounts.Member;
import dev.platform.core.api.ApiContext;
import dev.platform.core.api.Authenticate;
import dev.platform.core.api.Bootstrap;
import dev.platform.core.api.Role;
import dev.platform.embedded.EmbeddedTable;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code ./dev bootstrap} on DynamoDB Local: the first owner and a token that authenticates; a repeat adds only a token. */
class BootstrapCommandTest {
    private static final Pattern TOKEN = Pattern.compile("Token  (plat_[A-Za-z0-9]{43})");
    private static EmbeddedTable table;

    @BeforeAll
    static void start() {
        table = EmbeddedTable.start();
    }

    @AfterAll
    static void stop() {
        table.close();
    }

    @Test
    void theFirstOwnerGetsATokenThatAuthenticatesAndARepeatAddsOnlyAToken() {
        Map<String, String> options = BootstrapCommand.options(new String[] {
                "--table", table.name(), "--email", "Ops@Example.com", "--name", "Ops", "--team", "Acme Platform"});
        assertEquals("acme-platform", options.get("--team-id"), "a repeat finds the team by its name's slug");

        ByteArrayOutputStream first = new ByteArrayOutputStream();
        Bootstrap.Result made = BootstrapCommand.run(options, table.client(), Clock.systemUTC(), new PrintStream(first, true, StandardCharsets.UTF_8));
        ByteArrayOutputStream second = new ByteArrayOutputStream();
        Bootstrap.Result again = BootstrapCommand.run(options, table.client(), Clock.systemUTC(), new PrintStream(second, true, StandardCharsets.UTF_8));

        DynamoApiStore store = new DynamoApiStore(table.client(), table.name());
        assertEquals(made.user().userId(), again.user().userId());
        assertEquals("ops@example.com", made.user().email());
        List<Member> members = store.members("acme-platform", null, 10).items();
        assertEquals(1, members.size());
        assertEquals(Role.OWNER, members.get(0).role());
        assertEquals(2, store.tokens(made.user().userId(), null, 10).items().size());
        Authenticate authenticate = new Authenticate(new ApiContext(store, Clock.systemUTC()));
        for (ByteArrayOutputStream printed : List.of(first, second)) {
            Matcher token = TOKEN.matcher(printed.toString(StandardCharsets.UTF_8));
            assertTrue(token.find(), "the token is printed once: " + printed);
            assertEquals(made.user().userId(), authenticate.caller("Bearer " + token.group(1)).orElseThrow().userId());
        }
    }

    @Test
    void aBadCommandLineIsAUsageError() {
        assertThrows(BootstrapCommand.UsageException.class, () -> BootstrapCommand.options(new String[] {"--email", "a@b.c"}),
                "the table has no default: CDK names it");
        assertThrows(BootstrapCommand.UsageException.class, () -> BootstrapCommand.options(new String[] {"--table", "t"}));
        assertThrows(BootstrapCommand.UsageException.class,
                () -> BootstrapCommand.options(new String[] {"--table", "t", "--email", "a@b.c", "--colour", "red"}));
        assertThrows(BootstrapCommand.UsageException.class, () -> BootstrapCommand.options(new String[] {"--table", "t", "--email"}));
        assertThrows(BootstrapCommand.UsageException.class,
                () -> BootstrapCommand.options(new String[] {"--table", "t", "--email", "a@b.c", "--team", "!!!"}));
        assertFalse(BootstrapCommand.options(new String[] {"--table", "t", "--email", "a@b.c"}).get("--team-id").isBlank());
    }
}
