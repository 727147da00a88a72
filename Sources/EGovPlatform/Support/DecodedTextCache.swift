import Foundation
import NIOConcurrencyHelpers

/// Stored JSON (a process, a procedure, the settings) decoded once for as long as its text is unchanged: each read
/// brings the text from the database and compares it, so nothing is kept that the next read does not check, and an
/// edit anywhere counts at once (issue 15). More keys than `capacity` and the cache starts over.
public final class DecodedTextCache<Value: Decodable & Sendable>: Sendable {
    private let entries = NIOLockedValueBox<[String: (text: String, value: Value)]>([:])
    private let capacity: Int

    public init(capacity: Int = 20_000) {
        self.capacity = capacity
    }

    /// The value `text` decodes to, kept under `key`.
    public func value(key: String, text: String) throws -> Value {
        if let hit = entries.withLockedValue({ $0[key] }), hit.text == text { return hit.value }
        let value = try JSONDecoder().decode(Value.self, from: Data(text.utf8))
        entries.withLockedValue { cache in
            if cache.count >= capacity, cache[key] == nil { cache.removeAll(keepingCapacity: true) }
            cache[key] = (text, value)
        }
        return value
    }
}
