import Fluent
import Foundation

/// Typed access to the installation-wide JSON settings.
public enum SettingsStore {
    public enum Key: String, Sendable { case locality, branding, calendar }

    public static func get<T: Decodable>(_ type: T.Type, for key: Key, on db: any Database) async throws -> T? {
        guard let row = try await SettingModel.find(key.rawValue, on: db) else { return nil }
        return try JSONDecoder().decode(T.self, from: Data(row.value.utf8))
    }

    public static func set(_ value: some Encodable, for key: Key, on db: any Database) async throws {
        let json = try CanonicalJSON.string(value)
        if let row = try await SettingModel.find(key.rawValue, on: db) {
            guard row.value != json else { return }
            row.value = json
            try await row.save(on: db)
        } else {
            try await SettingModel(key: key.rawValue, value: json).create(on: db)
        }
    }
}
