// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "open-egov",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "egov", targets: ["egov"]),
    ],
    dependencies: [
        .package(url: "https://github.com/vapor/vapor.git", from: "4.115.0"),
        .package(url: "https://github.com/vapor/fluent.git", from: "4.13.0"),
        .package(url: "https://github.com/vapor/fluent-kit.git", from: "1.57.0"),
        .package(url: "https://github.com/vapor/fluent-sqlite-driver.git", from: "4.9.0"),
        .package(url: "https://github.com/vapor/fluent-postgres-driver.git", from: "2.14.0"),
        .package(url: "https://github.com/vapor/jwt.git", from: "5.2.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.0.0"),
        .package(url: "https://github.com/apple/swift-certificates.git", from: "1.15.0"),
        .package(url: "https://github.com/apple/swift-asn1.git", from: "1.3.0"),
        .package(url: "https://github.com/JohnSundell/Plot.git", from: "0.14.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.0"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.0.0"),
        .package(url: "https://github.com/vapor/multipart-kit.git", from: "4.7.0"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.0"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.21.0"),
    ],
    targets: [
        .target(
            name: "EGovCore",
            path: "Sources/EGovCore"
        ),
        // libxmlsec1, the reference implementation of XML-DSig (Debian libxmlsec1-dev), for edXML signatures.
        .systemLibrary(
            name: "CXMLSec",
            path: "Sources/CXMLSec",
            pkgConfig: "xmlsec1-openssl",
            providers: [.apt(["libxmlsec1-dev", "libxml2-dev"])]
        ),
        // zlib (Debian zlib1g-dev), for the compressed cross-reference and object streams of PDF 1.5+ files.
        .systemLibrary(
            name: "CZlib",
            path: "Sources/CZlib",
            pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"])]
        ),
        .target(
            name: "EGovPlatform",
            dependencies: [
                "EGovCore",
                "CXMLSec",
                "CZlib",
                .product(name: "Vapor", package: "vapor"),
                .product(name: "Fluent", package: "fluent"),
                .product(name: "JWT", package: "jwt"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "MultipartKit", package: "multipart-kit"),
                .product(name: "FluentSQL", package: "fluent-kit"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ],
            exclude: ["Signatures/Stamp/DejaVu-LICENSE.txt"],
            resources: [.embedInCode("Calendar/national-calendar.yaml"), .embedInCode("Signatures/Stamp/DejaVuSans-vi.ttf")]
        ),
        .target(
            name: "EGovWeb",
            dependencies: [
                "EGovCore",
                "EGovPlatform",
                .product(name: "Vapor", package: "vapor"),
                .product(name: "Plot", package: "Plot"),
            ]
        ),
        .target(
            name: "PublicServices",
            dependencies: [
                "EGovCore",
                "EGovPlatform",
                "EGovWeb",
                .product(name: "Plot", package: "Plot"),
                .product(name: "Vapor", package: "vapor"),
                .product(name: "Fluent", package: "fluent"),
                .product(name: "FluentSQL", package: "fluent-kit"),
                .product(name: "Yams", package: "Yams"),
            ]
        ),
        .target(
            name: "Documents",
            dependencies: [
                "EGovCore",
                "EGovPlatform",
                "EGovWeb",
                .product(name: "Vapor", package: "vapor"),
                .product(name: "Fluent", package: "fluent"),
                .product(name: "FluentSQL", package: "fluent-kit"),
            ]
        ),
        .target(
            name: "EGovServer",
            dependencies: [
                "EGovCore",
                "EGovPlatform",
                "EGovWeb",
                .product(name: "Vapor", package: "vapor"),
                .product(name: "Fluent", package: "fluent"),
                .product(name: "FluentSQLiteDriver", package: "fluent-sqlite-driver"),
                .product(name: "FluentPostgresDriver", package: "fluent-postgres-driver"),
                .product(name: "Plot", package: "Plot"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ]
        ),
        .executableTarget(
            name: "egov",
            dependencies: [
                "EGovServer",
                "EGovPlatform",
                "PublicServices",
                "Documents",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(
            name: "EGovCoreTests",
            dependencies: ["EGovCore"]
        ),
        .testTarget(
            name: "EGovServerTests",
            dependencies: [
                "EGovServer",
                "EGovPlatform",
                "EGovWeb",
                "PublicServices",
                "Documents",
                .product(name: "VaporTesting", package: "vapor"),
                .product(name: "FluentPostgresDriver", package: "fluent-postgres-driver"),
            ],
            exclude: ["Fixtures"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
