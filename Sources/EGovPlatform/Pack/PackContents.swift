import EGovCore
import Foundation

/// Where in a pack a value came from, for error messages a person can act on.
public struct SourceLocation: Sendable, Hashable, CustomStringConvertible {
    public let file: String
    public let line: Int

    public init(file: String, line: Int) {
        self.file = file
        self.line = line
    }

    public var description: String { line > 0 ? "\(file):\(line)" : file }
}

/// A pack that does not load: the file, the line and the reason.
public struct PackError: Error, Sendable, CustomStringConvertible {
    public let location: SourceLocation
    public let message: LocalizedText

    public init(_ location: SourceLocation, vi: String, en: String) {
        self.location = location
        self.message = LocalizedText(vi: vi, en: en)
    }

    public var description: String { "\(location): \(message.vi) (\(message.en))" }
}

public struct LocalitySettings: Codable, Sendable, Equatable {
    public var code: String
    public var name: String
    public var rootUnit: String
}

public struct Branding: Codable, Sendable, Equatable {
    public var portalName: String
    public var shortName: String
    /// File name of the emblem in the pack, and its content hash in the file store.
    public var emblemName: String?
    public var emblemSHA256: String?
    public var primaryColor: String
    public var secondaryColor: String

    public static let fallback = Branding(portalName: "Open eGov", shortName: "Open eGov", emblemName: nil,
                                          emblemSHA256: nil, primaryColor: "#a50e0e", secondaryColor: "#f4c20d")
}

/// What a pack adds to the statutory calendar.
public struct CalendarSettings: Codable, Sendable, Equatable {
    public var fixedHolidays: [FixedHoliday]
    public var adjustments: [CalendarAdjustment]

    public init(fixedHolidays: [FixedHoliday] = [], adjustments: [CalendarAdjustment] = []) {
        self.fixedHolidays = fixedHolidays
        self.adjustments = adjustments
    }

    public var workingDayCalendar: WorkingDayCalendar {
        WorkingDayCalendar(rules: .labourCode2019, official: NationalCalendar.shipped.years, adjustments: adjustments,
                           fixedHolidays: fixedHolidays)
    }
}

public struct PackUnit: Sendable {
    public var code: ElectronicCode
    public var type: UnitType
    public var name: String
    public var shortName: String
    public var parentCode: ElectronicCode?
    public var location: SourceLocation
}

public struct PackUser: Sendable {
    public struct Holding: Sendable {
        public var unitCode: String
        public var position: Position
        public var location: SourceLocation
    }

    public var username: String
    public var fullName: String
    public var email: String?
    public var phone: String?
    public var positions: [Holding]
    public var location: SourceLocation
}

/// A whole pack, read and checked, ready to import.
public struct PackContents: Sendable {
    public var directory: URL
    public var locality: LocalitySettings
    public var branding: Branding
    public var emblem: Data?
    /// In tree pre-order: a parent always comes before its children.
    public var units: [PackUnit]
    public var users: [PackUser]
    public var calendar: CalendarSettings
}
