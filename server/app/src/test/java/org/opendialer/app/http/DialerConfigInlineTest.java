package org.opendialer.app.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DialerConfigInlineTest {
    private static final String PAGE = "<head>" + DialerRoutes.CONFIG_PLACEHOLDER + "<script src=\"dialer.js\"></script></head>";

    @Test
    void placeholder_becomesAJsonDataBlock() {
        String html = DialerRoutes.inlineConfig(PAGE, "{\"allowedOrigins\":[\"https://crm.example.com\"]}");
        assertThat(html).isEqualTo("<head><script type=\"application/json\" id=\"dialer-config\">"
                + "{\"allowedOrigins\":[\"https://crm.example.com\"]}</script><script src=\"dialer.js\"></script></head>");
    }

    @Test
    void valuesCannotCloseTheScriptElement() {
        String html = DialerRoutes.inlineConfig(PAGE, "{\"version\":\"</script><script>alert(1)</script>&\"}");
        assertThat(html).doesNotContain("</script><script>alert").doesNotContain("&\"");
        assertThat(html).contains("\\u003c/script\\u003e\\u003cscript\\u003ealert(1)\\u003c/script\\u003e\\u0026");
    }

    @Test
    void pageWithoutPlaceholder_isLeftAsItIs() {
        assertThat(DialerRoutes.inlineConfig("<title>dialer</title>", "{}")).isEqualTo("<title>dialer</title>");
    }

    @Test
    void inlineModules_areHashedAsWritten_andDataBlocksAreNot() {
        String html = "<script type=\"application/json\" id=\"dialer-config\">{}</script>"
                + "<script type=\"module\">import(\"./chunk-ABCDEFGH.js\");</script><script src=\"a.js\"></script>";
        assertThat(DialerRoutes.inlineScriptHashes(html)).containsExactly("sha256-ic4Nk+xnjhSnUlKkEvSC84wo138fWX+Tcp6cUXCe5UY=");
        assertThat(DialerRoutes.inlineScriptHashes("<script src=\"dialer.js\"></script>")).isEmpty();
    }

    @Test
    void cacheControl_immutableOnlyForContentHashedChunks() {
        assertThat(DialerRoutes.dialerCacheControl("chunk-GREZKFPT.js")).isEqualTo("public, max-age=31536000, immutable");
        assertThat(DialerRoutes.dialerCacheControl("dialer.js")).isEqualTo("public, max-age=300");
        assertThat(DialerRoutes.dialerCacheControl("chunk-x.js")).isEqualTo("public, max-age=300");
        assertThat(DialerRoutes.dialerCacheControl("index.html")).isEqualTo("no-cache");
    }
}
