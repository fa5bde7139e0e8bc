package dev.platform.local.ssm;

import dev.platform.aws.ssm.SecretParametersContract;
import java.io.IOException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import software.amazon.awssdk.services.ssm.SsmClient;

/** The local SSM passes the contract the SSM adapter is held to against moto, with the real adapter and SDK client. */
class LocalSsmContractTest extends SecretParametersContract {
    private static LocalSsm ssm;
    private static SsmClient client;

    @BeforeAll
    static void start() throws IOException {
        ssm = LocalSsm.start(null);
        client = LocalSsmTest.client(ssm);
    }

    @AfterAll
    static void stop() {
        client.close();
        ssm.close();
    }

    @Override
    protected SsmClient ssm() {
        return client;
    }
}
