import EGovCore
import Foundation
import Yams

/// Reads and checks a locality pack folder. Nothing touches the database here: a pack that fails
/// any check is refused before the import transaction starts.
public enum PackReader {
    /// Usernames a pack may not use: `admin` is the installation's first administrator.
    public static let reservedUsernames: Set<String> = ["admin"]

    public static func read(_ directory: URL) throws(PackError) -> PackContents {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw PackError(SourceLocation(file: directory.path, line: 0),
                            vi: "Không tìm thấy thư mục gói địa phương.", en: "The pack folder does not exist.")
        }
        let (locality, branding) = try readPack(YAMLFile(directory: directory, name: "pack.yaml", required: true))
        let emblem = try branding.emblemName.map { name throws(PackError) -> Data in
            guard let data = FileManager.default.contents(atPath: directory.appendingPathComponent(name).path) else {
                throw PackError(SourceLocation(file: "pack.yaml", line: 0),
                                vi: "Không tìm thấy tệp biểu trưng “\(name)”.", en: "Emblem file “\(name)” not found.")
            }
            return data
        }
        let units = try readUnits(YAMLFile(directory: directory, name: "units.yaml", required: true))
        guard units.contains(where: { $0.code.value == locality.rootUnit && $0.parentCode == nil }) else {
            throw PackError(SourceLocation(file: "pack.yaml", line: 0),
                            vi: "Đơn vị gốc “\(locality.rootUnit)” không phải gốc của cây trong units.yaml.",
                            en: "Root unit “\(locality.rootUnit)” is not a root of the tree in units.yaml.")
        }
        let users = try readUsers(YAMLFile(directory: directory, name: "users.yaml", required: false),
                                  unitCodes: Set(units.map(\.code.value)))
        let calendar = try readCalendar(YAMLFile(directory: directory, name: "calendar.yaml", required: false))
        return PackContents(directory: directory, locality: locality, branding: branding, emblem: emblem,
                            units: units, users: users, calendar: calendar)
    }

    private static func readPack(_ file: YAMLFile) throws(PackError) -> (LocalitySettings, Branding) {
        var top = try file.mapping(file.root, what: "pack.yaml")
        var locality = try file.mapping(top.node("locality"), what: "locality")
        let root = try locality.string("rootUnit")
        let settings = LocalitySettings(code: try locality.string("code"), name: try locality.string("name"), rootUnit: root)
        try locality.finish()
        guard ElectronicCode.isValid(root) else {
            throw PackError(locality.location, vi: "Mã đơn vị gốc “\(root)” không đúng định dạng ddd.dd.dd.Ldd.",
                            en: "Root unit code “\(root)” is not of the form ddd.dd.dd.Ldd.")
        }
        var branding = Branding.fallback
        if let node = top.node("branding") {
            var map = try file.mapping(node, what: "branding")
            branding.portalName = try map.string("portalName")
            branding.shortName = try map.string("shortName")
            branding.emblemName = try map.optionalString("emblem")
            for key in ["primaryColor", "secondaryColor"] {
                guard let colour = try map.optionalString(key) else { continue }
                guard isHexColour(colour) else {
                    throw PackError(file.location(map.node(key)), vi: "Màu “\(colour)” phải có dạng #rrggbb.",
                                    en: "Colour “\(colour)” must be #rrggbb.")
                }
                if key == "primaryColor" { branding.primaryColor = colour } else { branding.secondaryColor = colour }
            }
            try map.finish()
        }
        try top.finish()
        return (settings, branding)
    }

    static func isHexColour(_ text: String) -> Bool {
        text.count == 7 && text.first == "#" && text.dropFirst().allSatisfy(\.isHexDigit)
    }

    private static func readUnits(_ file: YAMLFile) throws(PackError) -> [PackUnit] {
        var top = try file.mapping(file.root, what: "units.yaml")
        var units: [PackUnit] = []
        var seen: [String: SourceLocation] = [:]

        func visit(_ node: Node, parent: ElectronicCode?) throws(PackError) {
            var map = try file.mapping(node, what: "unit")
            let codeNode = map.node("code")
            let rawCode = try map.string("code")
            let code: ElectronicCode
            do { code = try ElectronicCode(rawCode) } catch {
                throw PackError(file.location(codeNode), vi: error.message.vi, en: error.message.en)
            }
            if let first = seen[rawCode] {
                throw PackError(file.location(codeNode), vi: "Mã “\(rawCode)” bị trùng (đã có ở \(first)).",
                                en: "Code “\(rawCode)” is duplicated (first at \(first)).")
            }
            seen[rawCode] = file.location(codeNode)
            let rawType = try map.string("type")
            guard let type = UnitType(rawValue: rawType) else {
                throw PackError(file.location(map.node("type")),
                                vi: "Loại đơn vị “\(rawType)” không hợp lệ (\(UnitType.allCases.map(\.rawValue).joined(separator: ", "))).",
                                en: "Unit type “\(rawType)” is not one of \(UnitType.allCases.map(\.rawValue).joined(separator: ", ")).")
            }
            let name = try map.string("name")
            let shortName = try map.optionalString("shortName") ?? name
            let children = try file.sequence(map.node("children"), what: "children")
            try map.finish()
            units.append(PackUnit(code: code, type: type, name: name, shortName: shortName, parentCode: parent,
                                  location: file.location(node)))
            for child in children { try visit(child, parent: code) }
        }

        for node in try file.sequence(top.node("units"), what: "units") { try visit(node, parent: nil) }
        try top.finish()
        guard !units.isEmpty else {
            throw PackError(file.location(file.root), vi: "units.yaml không có đơn vị nào.", en: "units.yaml has no unit.")
        }
        return units
    }

    private static func readUsers(_ file: YAMLFile, unitCodes: Set<String>) throws(PackError) -> [PackUser] {
        guard file.root != nil else { return [] }
        var top = try file.mapping(file.root, what: "users.yaml")
        var users: [PackUser] = []
        var seen: Set<String> = []
        for node in try file.sequence(top.node("users"), what: "users") {
            var map = try file.mapping(node, what: "user")
            let username = try map.string("username")
            do { try ContactDetails.checkUsername(username) } catch {
                throw PackError(file.location(map.node("username")), vi: error.message.vi, en: error.message.en)
            }
            guard !reservedUsernames.contains(username) else {
                throw PackError(file.location(map.node("username")), vi: "Tên đăng nhập “\(username)” được dành riêng.",
                                en: "Username “\(username)” is reserved.")
            }
            guard seen.insert(username).inserted else {
                throw PackError(file.location(map.node("username")), vi: "Tên đăng nhập “\(username)” bị trùng.",
                                en: "Username “\(username)” is duplicated.")
            }
            let fullName = try map.string("fullName")
            var email = try map.optionalString("email")
            var phone = try map.optionalString("phone")
            do {
                email = try email.map(ContactDetails.normalizedEmail)
                phone = try phone.map(ContactDetails.normalizedPhone)
            } catch {
                throw PackError(file.location(map.node(error.field)), vi: error.message.vi, en: error.message.en)
            }
            var holdings: [PackUser.Holding] = []
            for positionNode in try file.sequence(map.node("positions"), what: "positions") {
                var holding = try file.mapping(positionNode, what: "position")
                let unitNode = holding.node("unit")
                let unit = try holding.string("unit")
                guard unitCodes.contains(unit) else {
                    throw PackError(file.location(unitNode), vi: "Đơn vị “\(unit)” không có trong units.yaml.",
                                    en: "Unit “\(unit)” is not in units.yaml.")
                }
                let rawPosition = try holding.string("position")
                guard let position = Position(rawValue: rawPosition) else {
                    throw PackError(file.location(holding.node("position")),
                                    vi: "Chức vụ “\(rawPosition)” không hợp lệ (\(Position.allCases.map(\.rawValue).joined(separator: ", "))).",
                                    en: "Position “\(rawPosition)” is not one of \(Position.allCases.map(\.rawValue).joined(separator: ", ")).")
                }
                try holding.finish()
                holdings.append(.init(unitCode: unit, position: position, location: file.location(positionNode)))
            }
            try map.finish()
            users.append(PackUser(username: username, fullName: fullName, email: email, phone: phone,
                                  positions: holdings, location: file.location(node)))
        }
        try top.finish()
        return users
    }

    private static func readCalendar(_ file: YAMLFile) throws(PackError) -> CalendarSettings {
        guard file.root != nil else { return CalendarSettings() }
        var top = try file.mapping(file.root, what: "calendar.yaml")
        var calendar = try file.mapping(top.node("calendar"), what: "calendar")
        var result = CalendarSettings()
        for node in try file.sequence(calendar.node("fixedHolidays"), what: "fixedHolidays") {
            var map = try file.mapping(node, what: "fixedHoliday")
            let date = try map.string("date")
            let parts = date.split(separator: "-").compactMap { Int($0) }
            guard parts.count == 2, CivilDate(year: 2000, month: parts[0], day: parts[1]) != nil else {
                throw PackError(file.location(map.node("date")), vi: "Ngày “\(date)” phải có dạng MM-dd.",
                                en: "Date “\(date)” must be MM-dd.")
            }
            let holiday = FixedHoliday(month: parts[0], day: parts[1], name: try map.string("name"),
                                       fromYear: try map.optionalInt("fromYear"), toYear: try map.optionalInt("toYear"))
            try map.finish()
            result.fixedHolidays.append(holiday)
        }
        for node in try file.sequence(calendar.node("adjustments"), what: "adjustments") {
            var map = try file.mapping(node, what: "adjustment")
            let rawDate = try map.string("date")
            guard let date = CivilDate(iso: rawDate) else {
                throw PackError(file.location(map.node("date")), vi: "Ngày “\(rawDate)” phải có dạng yyyy-MM-dd.",
                                en: "Date “\(rawDate)” must be yyyy-MM-dd.")
            }
            let rawKind = try map.string("kind")
            guard let kind = CalendarAdjustment.Kind(rawValue: rawKind) else {
                throw PackError(file.location(map.node("kind")), vi: "“kind” phải là dayOff hoặc workingDay.",
                                en: "“kind” must be dayOff or workingDay.")
            }
            result.adjustments.append(CalendarAdjustment(date: date, kind: kind, name: try map.optionalString("name")))
            try map.finish()
        }
        try calendar.finish()
        try top.finish()
        return result
    }
}
