package org.opendialer.app.webhooks;

import java.util.concurrent.atomic.AtomicInteger;
import org.opendialer.core.accounts.Database;

/** The webhook delivery contract on an in-memory H2, one database per test. */
class WebhookDeliveryH2Test extends WebhookDeliveryContract {
    private static final AtomicInteger DB = new AtomicInteger();

    @Override
    Database emptyDatabase() {
        return Database.open("jdbc:h2:mem:webhooks" + DB.incrementAndGet() + ";DB_CLOSE_DELAY=-1", "", "");
    }

    @Override
    void release(Database db) {
        db.close();
    }
}
