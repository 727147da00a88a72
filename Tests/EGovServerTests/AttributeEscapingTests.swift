import EGovWeb
import Foundation
import Testing

/// Plot writes attribute values as given. This test reads every page source (files that import Plot)
/// and fails on an attribute whose value is neither a plain string literal nor passed through
/// `Esc.attr`, so a new page cannot forget it.
@Suite("Attribute escaping")
struct AttributeEscapingTests {
    static let attributes = ["href", "value", "action", "src", "alt", "content", "ariaLabel", "label"]

    @Test("every dynamic attribute value in the page sources goes through Esc.attr")
    func everyDynamicAttributeIsEscaped() throws {
        let sources = TestInstallation.repositoryRoot.appendingPathComponent("Sources")
        let files = try #require(FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil))
            .compactMap { $0 as? URL }.filter { $0.pathExtension == "swift" }
        var pages = 0
        var offences: [String] = []
        for file in files {
            let text = try String(contentsOf: file, encoding: .utf8)
            guard text.contains("import Plot") else { continue }
            pages += 1
            for argument in Self.attributeArguments(in: text) where !Self.isSafe(argument.value, attribute: argument.name) {
                offences.append("\(file.lastPathComponent): .\(argument.name)(\(argument.value.prefix(80)))")
            }
        }
        #expect(pages >= 10)
        #expect(offences.isEmpty, "unescaped attribute values:\n\(offences.joined(separator: "\n"))")
    }

    @Test("the helper escapes quotes, angle brackets, ampersands and drops control characters")
    func helper() {
        #expect(Esc.attr(#""><script>a&b's"#) == "&quot;&gt;&lt;script&gt;a&amp;b&#39;s")
        #expect(Esc.attr("a\u{0}b\u{7F}c\td") == "abc\td")
        #expect(Esc.attr(nil as String?) == nil)
    }

    @Test("the source scanner finds an unescaped attribute and accepts escaped ones")
    func scanner() {
        let source = #"""
        .a(.href(link(page)), .text("x")), .input(.value(Esc.attr(name))), .meta(.content("fixed")),
        .option(.value("a"), .label(.text("b"))), .attribute(named: "lang", value: language), .attribute(named: "x", value: "y")
        """#
        let unsafe = Self.attributeArguments(in: source).filter { !Self.isSafe($0.value, attribute: $0.name) }
            .map { $0.value.trimmingCharacters(in: .whitespaces) }
        #expect(unsafe == ["link(page)", "language"])
    }

    // MARK: - A small scanner for Swift call arguments

    static func isSafe(_ argument: String, attribute: String) -> Bool {
        let value = argument.trimmingCharacters(in: .whitespacesAndNewlines)
        if value == "nil" || value.hasPrefix("Esc.attr(") { return true }
        // `.label(.text(…))` is the <label> element, not the attribute.
        if attribute == "label", value.hasPrefix(".") { return true }
        // A literal without interpolation.
        return value.hasPrefix("\"") && value.hasSuffix("\"") && !value.contains("\\(") && value.count >= 2
            && !value.dropFirst().dropLast().contains("\"")
    }

    /// `(name, argument)` for `.name(argument)` and `.attribute(named: "…", value: argument)`.
    static func attributeArguments(in text: String) -> [(name: String, value: String)] {
        let characters = Array(text)
        var results: [(String, String)] = []
        var index = 0
        while index < characters.count {
            guard characters[index] == "." else { index += 1; continue }
            let nameStart = index + 1
            var nameEnd = nameStart
            while nameEnd < characters.count, characters[nameEnd].isLetter { nameEnd += 1 }
            guard nameEnd < characters.count, characters[nameEnd] == "(" else { index = nameEnd; continue }
            let name = String(characters[nameStart..<nameEnd])
            guard let close = matchingParen(characters, nameEnd) else { break }
            let inner = String(characters[(nameEnd + 1)..<close])
            if attributes.contains(name) {
                results.append((name, inner))
            } else if name == "attribute", let range = inner.range(of: "value:") {
                results.append(("attribute", String(inner[range.upperBound...])))
            }
            index = nameEnd + 1
        }
        return results
    }

    /// The index of the `)` that closes the `(` at `open`, skipping string literals and their interpolations.
    static func matchingParen(_ characters: [Character], _ open: Int) -> Int? {
        var depth = 0
        var index = open
        while index < characters.count {
            switch characters[index] {
            case "\"":
                index += 1
                while index < characters.count, characters[index] != "\"" {
                    if characters[index] == "\\", index + 1 < characters.count, characters[index + 1] == "(" {
                        guard let end = matchingParen(characters, index + 1) else { return nil }
                        index = end + 1
                        continue
                    }
                    index += characters[index] == "\\" ? 2 : 1
                }
            case "(": depth += 1
            case ")":
                depth -= 1
                if depth == 0 { return index }
            default: break
            }
            index += 1
        }
        return nil
    }
}
