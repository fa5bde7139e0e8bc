package dev.platform.local.s3;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.SAXException;

/** S3's XML: answers written element by element, and the few request bodies read (small, no DTDs). */
final class S3Xml {
    static final String NAMESPACE = "http://s3.amazonaws.com/doc/2006-03-01/";

    private final StringBuilder xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    private final Deque<String> open = new ArrayDeque<>();

    private S3Xml() {
    }

    /** A document whose root element is in S3's namespace. */
    static S3Xml document(String root) {
        S3Xml doc = new S3Xml();
        doc.xml.append('<').append(root).append(" xmlns=\"").append(NAMESPACE).append("\">");
        doc.open.push(root);
        return doc;
    }

    /** A document whose root has no namespace, as S3's error documents have none. */
    static S3Xml plain(String root) {
        S3Xml doc = new S3Xml();
        doc.xml.append('<').append(root).append('>');
        doc.open.push(root);
        return doc;
    }

    S3Xml open(String name) {
        xml.append('<').append(name).append('>');
        open.push(name);
        return this;
    }

    S3Xml close() {
        xml.append("</").append(open.pop()).append('>');
        return this;
    }

    /** An element with text; nothing when {@code value} is null. */
    S3Xml element(String name, Object value) {
        if (value != null) {
            xml.append('<').append(name).append('>').append(escape(String.valueOf(value))).append("</").append(name).append('>');
        }
        return this;
    }

    byte[] bytes() {
        while (!open.isEmpty()) {
            close();
        }
        return xml.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** S3's timestamps in XML: ISO-8601 in milliseconds. */
    static String timestamp(Instant instant) {
        return instant.truncatedTo(ChronoUnit.MILLIS).toString();
    }

    private static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&apos;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    /** The root element of a request body; malformed XML is S3's {@code MalformedXML}. */
    static Element parse(byte[] body) {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setNamespaceAware(true);
            return factory.newDocumentBuilder().parse(new ByteArrayInputStream(body)).getDocumentElement();
        } catch (SAXException | IOException | ParserConfigurationException e) {
            throw malformed();
        }
    }

    /** The child elements named {@code name} (local name, whatever the namespace). */
    static List<Element> children(Element parent, String name) {
        List<Element> children = new ArrayList<>();
        for (Node node = parent.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node instanceof Element element && name.equals(element.getLocalName())) {
                children.add(element);
            }
        }
        return children;
    }

    /** The text of the first child named {@code name}, or null. */
    static String text(Element parent, String name) {
        List<Element> found = children(parent, name);
        return found.isEmpty() ? null : found.get(0).getTextContent().trim();
    }

    static S3Error malformed() {
        return new S3Error(400, "MalformedXML",
                "The XML you provided was not well-formed or did not validate against our published schema");
    }
}
