// @generated from data/cipher-suites.tsv by the test `suites::tests::suites_table_matches_tsv`.
// Do not edit: edit the TSV and run `KENSA_REGEN=1 cargo test -p kensa-probe-tls suites_table`.

use crate::codec::{CipherSuite, ProtocolVersion};
use crate::suites::{Authentication, Cipher, CipherMode, KeyExchange, Mac, RegistryStatus, SuiteInfo};

/// Named constants for every suite in the table.
impl CipherSuite {
    #[doc = "`TLS_NULL_WITH_NULL_NULL` (0x0000)"]
    pub const TLS_NULL_WITH_NULL_NULL: Self = Self(0x0000);
    #[doc = "`TLS_RSA_WITH_NULL_MD5` (0x0001)"]
    pub const TLS_RSA_WITH_NULL_MD5: Self = Self(0x0001);
    #[doc = "`TLS_RSA_WITH_NULL_SHA` (0x0002)"]
    pub const TLS_RSA_WITH_NULL_SHA: Self = Self(0x0002);
    #[doc = "`TLS_RSA_EXPORT_WITH_RC4_40_MD5` (0x0003)"]
    pub const TLS_RSA_EXPORT_WITH_RC4_40_MD5: Self = Self(0x0003);
    #[doc = "`TLS_RSA_WITH_RC4_128_MD5` (0x0004)"]
    pub const TLS_RSA_WITH_RC4_128_MD5: Self = Self(0x0004);
    #[doc = "`TLS_RSA_WITH_RC4_128_SHA` (0x0005)"]
    pub const TLS_RSA_WITH_RC4_128_SHA: Self = Self(0x0005);
    #[doc = "`TLS_RSA_EXPORT_WITH_RC2_CBC_40_MD5` (0x0006)"]
    pub const TLS_RSA_EXPORT_WITH_RC2_CBC_40_MD5: Self = Self(0x0006);
    #[doc = "`TLS_RSA_WITH_IDEA_CBC_SHA` (0x0007)"]
    pub const TLS_RSA_WITH_IDEA_CBC_SHA: Self = Self(0x0007);
    #[doc = "`TLS_RSA_EXPORT_WITH_DES40_CBC_SHA` (0x0008)"]
    pub const TLS_RSA_EXPORT_WITH_DES40_CBC_SHA: Self = Self(0x0008);
    #[doc = "`TLS_RSA_WITH_DES_CBC_SHA` (0x0009)"]
    pub const TLS_RSA_WITH_DES_CBC_SHA: Self = Self(0x0009);
    #[doc = "`TLS_RSA_WITH_3DES_EDE_CBC_SHA` (0x000A)"]
    pub const TLS_RSA_WITH_3DES_EDE_CBC_SHA: Self = Self(0x000A);
    #[doc = "`TLS_DH_DSS_EXPORT_WITH_DES40_CBC_SHA` (0x000B)"]
    pub const TLS_DH_DSS_EXPORT_WITH_DES40_CBC_SHA: Self = Self(0x000B);
    #[doc = "`TLS_DH_DSS_WITH_DES_CBC_SHA` (0x000C)"]
    pub const TLS_DH_DSS_WITH_DES_CBC_SHA: Self = Self(0x000C);
    #[doc = "`TLS_DH_DSS_WITH_3DES_EDE_CBC_SHA` (0x000D)"]
    pub const TLS_DH_DSS_WITH_3DES_EDE_CBC_SHA: Self = Self(0x000D);
    #[doc = "`TLS_DH_RSA_EXPORT_WITH_DES40_CBC_SHA` (0x000E)"]
    pub const TLS_DH_RSA_EXPORT_WITH_DES40_CBC_SHA: Self = Self(0x000E);
    #[doc = "`TLS_DH_RSA_WITH_DES_CBC_SHA` (0x000F)"]
    pub const TLS_DH_RSA_WITH_DES_CBC_SHA: Self = Self(0x000F);
    #[doc = "`TLS_DH_RSA_WITH_3DES_EDE_CBC_SHA` (0x0010)"]
    pub const TLS_DH_RSA_WITH_3DES_EDE_CBC_SHA: Self = Self(0x0010);
    #[doc = "`TLS_DHE_DSS_EXPORT_WITH_DES40_CBC_SHA` (0x0011)"]
    pub const TLS_DHE_DSS_EXPORT_WITH_DES40_CBC_SHA: Self = Self(0x0011);
    #[doc = "`TLS_DHE_DSS_WITH_DES_CBC_SHA` (0x0012)"]
    pub const TLS_DHE_DSS_WITH_DES_CBC_SHA: Self = Self(0x0012);
    #[doc = "`TLS_DHE_DSS_WITH_3DES_EDE_CBC_SHA` (0x0013)"]
    pub const TLS_DHE_DSS_WITH_3DES_EDE_CBC_SHA: Self = Self(0x0013);
    #[doc = "`TLS_DHE_RSA_EXPORT_WITH_DES40_CBC_SHA` (0x0014)"]
    pub const TLS_DHE_RSA_EXPORT_WITH_DES40_CBC_SHA: Self = Self(0x0014);
    #[doc = "`TLS_DHE_RSA_WITH_DES_CBC_SHA` (0x0015)"]
    pub const TLS_DHE_RSA_WITH_DES_CBC_SHA: Self = Self(0x0015);
    #[doc = "`TLS_DHE_RSA_WITH_3DES_EDE_CBC_SHA` (0x0016)"]
    pub const TLS_DHE_RSA_WITH_3DES_EDE_CBC_SHA: Self = Self(0x0016);
    #[doc = "`TLS_DH_anon_EXPORT_WITH_RC4_40_MD5` (0x0017)"]
    pub const TLS_DH_ANON_EXPORT_WITH_RC4_40_MD5: Self = Self(0x0017);
    #[doc = "`TLS_DH_anon_WITH_RC4_128_MD5` (0x0018)"]
    pub const TLS_DH_ANON_WITH_RC4_128_MD5: Self = Self(0x0018);
    #[doc = "`TLS_DH_anon_EXPORT_WITH_DES40_CBC_SHA` (0x0019)"]
    pub const TLS_DH_ANON_EXPORT_WITH_DES40_CBC_SHA: Self = Self(0x0019);
    #[doc = "`TLS_DH_anon_WITH_DES_CBC_SHA` (0x001A)"]
    pub const TLS_DH_ANON_WITH_DES_CBC_SHA: Self = Self(0x001A);
    #[doc = "`TLS_DH_anon_WITH_3DES_EDE_CBC_SHA` (0x001B)"]
    pub const TLS_DH_ANON_WITH_3DES_EDE_CBC_SHA: Self = Self(0x001B);
    #[doc = "`TLS_KRB5_WITH_DES_CBC_SHA` (0x001E)"]
    pub const TLS_KRB5_WITH_DES_CBC_SHA: Self = Self(0x001E);
    #[doc = "`TLS_KRB5_WITH_3DES_EDE_CBC_SHA` (0x001F)"]
    pub const TLS_KRB5_WITH_3DES_EDE_CBC_SHA: Self = Self(0x001F);
    #[doc = "`TLS_KRB5_WITH_RC4_128_SHA` (0x0020)"]
    pub const TLS_KRB5_WITH_RC4_128_SHA: Self = Self(0x0020);
    #[doc = "`TLS_KRB5_WITH_IDEA_CBC_SHA` (0x0021)"]
    pub const TLS_KRB5_WITH_IDEA_CBC_SHA: Self = Self(0x0021);
    #[doc = "`TLS_KRB5_WITH_DES_CBC_MD5` (0x0022)"]
    pub const TLS_KRB5_WITH_DES_CBC_MD5: Self = Self(0x0022);
    #[doc = "`TLS_KRB5_WITH_3DES_EDE_CBC_MD5` (0x0023)"]
    pub const TLS_KRB5_WITH_3DES_EDE_CBC_MD5: Self = Self(0x0023);
    #[doc = "`TLS_KRB5_WITH_RC4_128_MD5` (0x0024)"]
    pub const TLS_KRB5_WITH_RC4_128_MD5: Self = Self(0x0024);
    #[doc = "`TLS_KRB5_WITH_IDEA_CBC_MD5` (0x0025)"]
    pub const TLS_KRB5_WITH_IDEA_CBC_MD5: Self = Self(0x0025);
    #[doc = "`TLS_KRB5_EXPORT_WITH_DES_CBC_40_SHA` (0x0026)"]
    pub const TLS_KRB5_EXPORT_WITH_DES_CBC_40_SHA: Self = Self(0x0026);
    #[doc = "`TLS_KRB5_EXPORT_WITH_RC2_CBC_40_SHA` (0x0027)"]
    pub const TLS_KRB5_EXPORT_WITH_RC2_CBC_40_SHA: Self = Self(0x0027);
    #[doc = "`TLS_KRB5_EXPORT_WITH_RC4_40_SHA` (0x0028)"]
    pub const TLS_KRB5_EXPORT_WITH_RC4_40_SHA: Self = Self(0x0028);
    #[doc = "`TLS_KRB5_EXPORT_WITH_DES_CBC_40_MD5` (0x0029)"]
    pub const TLS_KRB5_EXPORT_WITH_DES_CBC_40_MD5: Self = Self(0x0029);
    #[doc = "`TLS_KRB5_EXPORT_WITH_RC2_CBC_40_MD5` (0x002A)"]
    pub const TLS_KRB5_EXPORT_WITH_RC2_CBC_40_MD5: Self = Self(0x002A);
    #[doc = "`TLS_KRB5_EXPORT_WITH_RC4_40_MD5` (0x002B)"]
    pub const TLS_KRB5_EXPORT_WITH_RC4_40_MD5: Self = Self(0x002B);
    #[doc = "`TLS_PSK_WITH_NULL_SHA` (0x002C)"]
    pub const TLS_PSK_WITH_NULL_SHA: Self = Self(0x002C);
    #[doc = "`TLS_DHE_PSK_WITH_NULL_SHA` (0x002D)"]
    pub const TLS_DHE_PSK_WITH_NULL_SHA: Self = Self(0x002D);
    #[doc = "`TLS_RSA_PSK_WITH_NULL_SHA` (0x002E)"]
    pub const TLS_RSA_PSK_WITH_NULL_SHA: Self = Self(0x002E);
    #[doc = "`TLS_RSA_WITH_AES_128_CBC_SHA` (0x002F)"]
    pub const TLS_RSA_WITH_AES_128_CBC_SHA: Self = Self(0x002F);
    #[doc = "`TLS_DH_DSS_WITH_AES_128_CBC_SHA` (0x0030)"]
    pub const TLS_DH_DSS_WITH_AES_128_CBC_SHA: Self = Self(0x0030);
    #[doc = "`TLS_DH_RSA_WITH_AES_128_CBC_SHA` (0x0031)"]
    pub const TLS_DH_RSA_WITH_AES_128_CBC_SHA: Self = Self(0x0031);
    #[doc = "`TLS_DHE_DSS_WITH_AES_128_CBC_SHA` (0x0032)"]
    pub const TLS_DHE_DSS_WITH_AES_128_CBC_SHA: Self = Self(0x0032);
    #[doc = "`TLS_DHE_RSA_WITH_AES_128_CBC_SHA` (0x0033)"]
    pub const TLS_DHE_RSA_WITH_AES_128_CBC_SHA: Self = Self(0x0033);
    #[doc = "`TLS_DH_anon_WITH_AES_128_CBC_SHA` (0x0034)"]
    pub const TLS_DH_ANON_WITH_AES_128_CBC_SHA: Self = Self(0x0034);
    #[doc = "`TLS_RSA_WITH_AES_256_CBC_SHA` (0x0035)"]
    pub const TLS_RSA_WITH_AES_256_CBC_SHA: Self = Self(0x0035);
    #[doc = "`TLS_DH_DSS_WITH_AES_256_CBC_SHA` (0x0036)"]
    pub const TLS_DH_DSS_WITH_AES_256_CBC_SHA: Self = Self(0x0036);
    #[doc = "`TLS_DH_RSA_WITH_AES_256_CBC_SHA` (0x0037)"]
    pub const TLS_DH_RSA_WITH_AES_256_CBC_SHA: Self = Self(0x0037);
    #[doc = "`TLS_DHE_DSS_WITH_AES_256_CBC_SHA` (0x0038)"]
    pub const TLS_DHE_DSS_WITH_AES_256_CBC_SHA: Self = Self(0x0038);
    #[doc = "`TLS_DHE_RSA_WITH_AES_256_CBC_SHA` (0x0039)"]
    pub const TLS_DHE_RSA_WITH_AES_256_CBC_SHA: Self = Self(0x0039);
    #[doc = "`TLS_DH_anon_WITH_AES_256_CBC_SHA` (0x003A)"]
    pub const TLS_DH_ANON_WITH_AES_256_CBC_SHA: Self = Self(0x003A);
    #[doc = "`TLS_RSA_WITH_NULL_SHA256` (0x003B)"]
    pub const TLS_RSA_WITH_NULL_SHA256: Self = Self(0x003B);
    #[doc = "`TLS_RSA_WITH_AES_128_CBC_SHA256` (0x003C)"]
    pub const TLS_RSA_WITH_AES_128_CBC_SHA256: Self = Self(0x003C);
    #[doc = "`TLS_RSA_WITH_AES_256_CBC_SHA256` (0x003D)"]
    pub const TLS_RSA_WITH_AES_256_CBC_SHA256: Self = Self(0x003D);
    #[doc = "`TLS_DH_DSS_WITH_AES_128_CBC_SHA256` (0x003E)"]
    pub const TLS_DH_DSS_WITH_AES_128_CBC_SHA256: Self = Self(0x003E);
    #[doc = "`TLS_DH_RSA_WITH_AES_128_CBC_SHA256` (0x003F)"]
    pub const TLS_DH_RSA_WITH_AES_128_CBC_SHA256: Self = Self(0x003F);
    #[doc = "`TLS_DHE_DSS_WITH_AES_128_CBC_SHA256` (0x0040)"]
    pub const TLS_DHE_DSS_WITH_AES_128_CBC_SHA256: Self = Self(0x0040);
    #[doc = "`TLS_RSA_WITH_CAMELLIA_128_CBC_SHA` (0x0041)"]
    pub const TLS_RSA_WITH_CAMELLIA_128_CBC_SHA: Self = Self(0x0041);
    #[doc = "`TLS_DH_DSS_WITH_CAMELLIA_128_CBC_SHA` (0x0042)"]
    pub const TLS_DH_DSS_WITH_CAMELLIA_128_CBC_SHA: Self = Self(0x0042);
    #[doc = "`TLS_DH_RSA_WITH_CAMELLIA_128_CBC_SHA` (0x0043)"]
    pub const TLS_DH_RSA_WITH_CAMELLIA_128_CBC_SHA: Self = Self(0x0043);
    #[doc = "`TLS_DHE_DSS_WITH_CAMELLIA_128_CBC_SHA` (0x0044)"]
    pub const TLS_DHE_DSS_WITH_CAMELLIA_128_CBC_SHA: Self = Self(0x0044);
    #[doc = "`TLS_DHE_RSA_WITH_CAMELLIA_128_CBC_SHA` (0x0045)"]
    pub const TLS_DHE_RSA_WITH_CAMELLIA_128_CBC_SHA: Self = Self(0x0045);
    #[doc = "`TLS_DH_anon_WITH_CAMELLIA_128_CBC_SHA` (0x0046)"]
    pub const TLS_DH_ANON_WITH_CAMELLIA_128_CBC_SHA: Self = Self(0x0046);
    #[doc = "`TLS_RSA_EXPORT1024_WITH_RC4_56_MD5` (0x0060)"]
    pub const TLS_RSA_EXPORT1024_WITH_RC4_56_MD5: Self = Self(0x0060);
    #[doc = "`TLS_RSA_EXPORT1024_WITH_RC2_CBC_56_MD5` (0x0061)"]
    pub const TLS_RSA_EXPORT1024_WITH_RC2_CBC_56_MD5: Self = Self(0x0061);
    #[doc = "`TLS_RSA_EXPORT1024_WITH_DES_CBC_SHA` (0x0062)"]
    pub const TLS_RSA_EXPORT1024_WITH_DES_CBC_SHA: Self = Self(0x0062);
    #[doc = "`TLS_DHE_DSS_EXPORT1024_WITH_DES_CBC_SHA` (0x0063)"]
    pub const TLS_DHE_DSS_EXPORT1024_WITH_DES_CBC_SHA: Self = Self(0x0063);
    #[doc = "`TLS_RSA_EXPORT1024_WITH_RC4_56_SHA` (0x0064)"]
    pub const TLS_RSA_EXPORT1024_WITH_RC4_56_SHA: Self = Self(0x0064);
    #[doc = "`TLS_DHE_DSS_EXPORT1024_WITH_RC4_56_SHA` (0x0065)"]
    pub const TLS_DHE_DSS_EXPORT1024_WITH_RC4_56_SHA: Self = Self(0x0065);
    #[doc = "`TLS_DHE_DSS_WITH_RC4_128_SHA` (0x0066)"]
    pub const TLS_DHE_DSS_WITH_RC4_128_SHA: Self = Self(0x0066);
    #[doc = "`TLS_DHE_RSA_WITH_AES_128_CBC_SHA256` (0x0067)"]
    pub const TLS_DHE_RSA_WITH_AES_128_CBC_SHA256: Self = Self(0x0067);
    #[doc = "`TLS_DH_DSS_WITH_AES_256_CBC_SHA256` (0x0068)"]
    pub const TLS_DH_DSS_WITH_AES_256_CBC_SHA256: Self = Self(0x0068);
    #[doc = "`TLS_DH_RSA_WITH_AES_256_CBC_SHA256` (0x0069)"]
    pub const TLS_DH_RSA_WITH_AES_256_CBC_SHA256: Self = Self(0x0069);
    #[doc = "`TLS_DHE_DSS_WITH_AES_256_CBC_SHA256` (0x006A)"]
    pub const TLS_DHE_DSS_WITH_AES_256_CBC_SHA256: Self = Self(0x006A);
    #[doc = "`TLS_DHE_RSA_WITH_AES_256_CBC_SHA256` (0x006B)"]
    pub const TLS_DHE_RSA_WITH_AES_256_CBC_SHA256: Self = Self(0x006B);
    #[doc = "`TLS_DH_anon_WITH_AES_128_CBC_SHA256` (0x006C)"]
    pub const TLS_DH_ANON_WITH_AES_128_CBC_SHA256: Self = Self(0x006C);
    #[doc = "`TLS_DH_anon_WITH_AES_256_CBC_SHA256` (0x006D)"]
    pub const TLS_DH_ANON_WITH_AES_256_CBC_SHA256: Self = Self(0x006D);
    #[doc = "`TLS_RSA_WITH_CAMELLIA_256_CBC_SHA` (0x0084)"]
    pub const TLS_RSA_WITH_CAMELLIA_256_CBC_SHA: Self = Self(0x0084);
    #[doc = "`TLS_DH_DSS_WITH_CAMELLIA_256_CBC_SHA` (0x0085)"]
    pub const TLS_DH_DSS_WITH_CAMELLIA_256_CBC_SHA: Self = Self(0x0085);
    #[doc = "`TLS_DH_RSA_WITH_CAMELLIA_256_CBC_SHA` (0x0086)"]
    pub const TLS_DH_RSA_WITH_CAMELLIA_256_CBC_SHA: Self = Self(0x0086);
    #[doc = "`TLS_DHE_DSS_WITH_CAMELLIA_256_CBC_SHA` (0x0087)"]
    pub const TLS_DHE_DSS_WITH_CAMELLIA_256_CBC_SHA: Self = Self(0x0087);
    #[doc = "`TLS_DHE_RSA_WITH_CAMELLIA_256_CBC_SHA` (0x0088)"]
    pub const TLS_DHE_RSA_WITH_CAMELLIA_256_CBC_SHA: Self = Self(0x0088);
    #[doc = "`TLS_DH_anon_WITH_CAMELLIA_256_CBC_SHA` (0x0089)"]
    pub const TLS_DH_ANON_WITH_CAMELLIA_256_CBC_SHA: Self = Self(0x0089);
    #[doc = "`TLS_PSK_WITH_RC4_128_SHA` (0x008A)"]
    pub const TLS_PSK_WITH_RC4_128_SHA: Self = Self(0x008A);
    #[doc = "`TLS_PSK_WITH_3DES_EDE_CBC_SHA` (0x008B)"]
    pub const TLS_PSK_WITH_3DES_EDE_CBC_SHA: Self = Self(0x008B);
    #[doc = "`TLS_PSK_WITH_AES_128_CBC_SHA` (0x008C)"]
    pub const TLS_PSK_WITH_AES_128_CBC_SHA: Self = Self(0x008C);
    #[doc = "`TLS_PSK_WITH_AES_256_CBC_SHA` (0x008D)"]
    pub const TLS_PSK_WITH_AES_256_CBC_SHA: Self = Self(0x008D);
    #[doc = "`TLS_DHE_PSK_WITH_RC4_128_SHA` (0x008E)"]
    pub const TLS_DHE_PSK_WITH_RC4_128_SHA: Self = Self(0x008E);
    #[doc = "`TLS_DHE_PSK_WITH_3DES_EDE_CBC_SHA` (0x008F)"]
    pub const TLS_DHE_PSK_WITH_3DES_EDE_CBC_SHA: Self = Self(0x008F);
    #[doc = "`TLS_DHE_PSK_WITH_AES_128_CBC_SHA` (0x0090)"]
    pub const TLS_DHE_PSK_WITH_AES_128_CBC_SHA: Self = Self(0x0090);
    #[doc = "`TLS_DHE_PSK_WITH_AES_256_CBC_SHA` (0x0091)"]
    pub const TLS_DHE_PSK_WITH_AES_256_CBC_SHA: Self = Self(0x0091);
    #[doc = "`TLS_RSA_PSK_WITH_RC4_128_SHA` (0x0092)"]
    pub const TLS_RSA_PSK_WITH_RC4_128_SHA: Self = Self(0x0092);
    #[doc = "`TLS_RSA_PSK_WITH_3DES_EDE_CBC_SHA` (0x0093)"]
    pub const TLS_RSA_PSK_WITH_3DES_EDE_CBC_SHA: Self = Self(0x0093);
    #[doc = "`TLS_RSA_PSK_WITH_AES_128_CBC_SHA` (0x0094)"]
    pub const TLS_RSA_PSK_WITH_AES_128_CBC_SHA: Self = Self(0x0094);
    #[doc = "`TLS_RSA_PSK_WITH_AES_256_CBC_SHA` (0x0095)"]
    pub const TLS_RSA_PSK_WITH_AES_256_CBC_SHA: Self = Self(0x0095);
    #[doc = "`TLS_RSA_WITH_SEED_CBC_SHA` (0x0096)"]
    pub const TLS_RSA_WITH_SEED_CBC_SHA: Self = Self(0x0096);
    #[doc = "`TLS_DH_DSS_WITH_SEED_CBC_SHA` (0x0097)"]
    pub const TLS_DH_DSS_WITH_SEED_CBC_SHA: Self = Self(0x0097);
    #[doc = "`TLS_DH_RSA_WITH_SEED_CBC_SHA` (0x0098)"]
    pub const TLS_DH_RSA_WITH_SEED_CBC_SHA: Self = Self(0x0098);
    #[doc = "`TLS_DHE_DSS_WITH_SEED_CBC_SHA` (0x0099)"]
    pub const TLS_DHE_DSS_WITH_SEED_CBC_SHA: Self = Self(0x0099);
    #[doc = "`TLS_DHE_RSA_WITH_SEED_CBC_SHA` (0x009A)"]
    pub const TLS_DHE_RSA_WITH_SEED_CBC_SHA: Self = Self(0x009A);
    #[doc = "`TLS_DH_anon_WITH_SEED_CBC_SHA` (0x009B)"]
    pub const TLS_DH_ANON_WITH_SEED_CBC_SHA: Self = Self(0x009B);
    #[doc = "`TLS_RSA_WITH_AES_128_GCM_SHA256` (0x009C)"]
    pub const TLS_RSA_WITH_AES_128_GCM_SHA256: Self = Self(0x009C);
    #[doc = "`TLS_RSA_WITH_AES_256_GCM_SHA384` (0x009D)"]
    pub const TLS_RSA_WITH_AES_256_GCM_SHA384: Self = Self(0x009D);
    #[doc = "`TLS_DHE_RSA_WITH_AES_128_GCM_SHA256` (0x009E)"]
    pub const TLS_DHE_RSA_WITH_AES_128_GCM_SHA256: Self = Self(0x009E);
    #[doc = "`TLS_DHE_RSA_WITH_AES_256_GCM_SHA384` (0x009F)"]
    pub const TLS_DHE_RSA_WITH_AES_256_GCM_SHA384: Self = Self(0x009F);
    #[doc = "`TLS_DH_RSA_WITH_AES_128_GCM_SHA256` (0x00A0)"]
    pub const TLS_DH_RSA_WITH_AES_128_GCM_SHA256: Self = Self(0x00A0);
    #[doc = "`TLS_DH_RSA_WITH_AES_256_GCM_SHA384` (0x00A1)"]
    pub const TLS_DH_RSA_WITH_AES_256_GCM_SHA384: Self = Self(0x00A1);
    #[doc = "`TLS_DHE_DSS_WITH_AES_128_GCM_SHA256` (0x00A2)"]
    pub const TLS_DHE_DSS_WITH_AES_128_GCM_SHA256: Self = Self(0x00A2);
    #[doc = "`TLS_DHE_DSS_WITH_AES_256_GCM_SHA384` (0x00A3)"]
    pub const TLS_DHE_DSS_WITH_AES_256_GCM_SHA384: Self = Self(0x00A3);
    #[doc = "`TLS_DH_DSS_WITH_AES_128_GCM_SHA256` (0x00A4)"]
    pub const TLS_DH_DSS_WITH_AES_128_GCM_SHA256: Self = Self(0x00A4);
    #[doc = "`TLS_DH_DSS_WITH_AES_256_GCM_SHA384` (0x00A5)"]
    pub const TLS_DH_DSS_WITH_AES_256_GCM_SHA384: Self = Self(0x00A5);
    #[doc = "`TLS_DH_anon_WITH_AES_128_GCM_SHA256` (0x00A6)"]
    pub const TLS_DH_ANON_WITH_AES_128_GCM_SHA256: Self = Self(0x00A6);
    #[doc = "`TLS_DH_anon_WITH_AES_256_GCM_SHA384` (0x00A7)"]
    pub const TLS_DH_ANON_WITH_AES_256_GCM_SHA384: Self = Self(0x00A7);
    #[doc = "`TLS_PSK_WITH_AES_128_GCM_SHA256` (0x00A8)"]
    pub const TLS_PSK_WITH_AES_128_GCM_SHA256: Self = Self(0x00A8);
    #[doc = "`TLS_PSK_WITH_AES_256_GCM_SHA384` (0x00A9)"]
    pub const TLS_PSK_WITH_AES_256_GCM_SHA384: Self = Self(0x00A9);
    #[doc = "`TLS_DHE_PSK_WITH_AES_128_GCM_SHA256` (0x00AA)"]
    pub const TLS_DHE_PSK_WITH_AES_128_GCM_SHA256: Self = Self(0x00AA);
    #[doc = "`TLS_DHE_PSK_WITH_AES_256_GCM_SHA384` (0x00AB)"]
    pub const TLS_DHE_PSK_WITH_AES_256_GCM_SHA384: Self = Self(0x00AB);
    #[doc = "`TLS_RSA_PSK_WITH_AES_128_GCM_SHA256` (0x00AC)"]
    pub const TLS_RSA_PSK_WITH_AES_128_GCM_SHA256: Self = Self(0x00AC);
    #[doc = "`TLS_RSA_PSK_WITH_AES_256_GCM_SHA384` (0x00AD)"]
    pub const TLS_RSA_PSK_WITH_AES_256_GCM_SHA384: Self = Self(0x00AD);
    #[doc = "`TLS_PSK_WITH_AES_128_CBC_SHA256` (0x00AE)"]
    pub const TLS_PSK_WITH_AES_128_CBC_SHA256: Self = Self(0x00AE);
    #[doc = "`TLS_PSK_WITH_AES_256_CBC_SHA384` (0x00AF)"]
    pub const TLS_PSK_WITH_AES_256_CBC_SHA384: Self = Self(0x00AF);
    #[doc = "`TLS_PSK_WITH_NULL_SHA256` (0x00B0)"]
    pub const TLS_PSK_WITH_NULL_SHA256: Self = Self(0x00B0);
    #[doc = "`TLS_PSK_WITH_NULL_SHA384` (0x00B1)"]
    pub const TLS_PSK_WITH_NULL_SHA384: Self = Self(0x00B1);
    #[doc = "`TLS_DHE_PSK_WITH_AES_128_CBC_SHA256` (0x00B2)"]
    pub const TLS_DHE_PSK_WITH_AES_128_CBC_SHA256: Self = Self(0x00B2);
    #[doc = "`TLS_DHE_PSK_WITH_AES_256_CBC_SHA384` (0x00B3)"]
    pub const TLS_DHE_PSK_WITH_AES_256_CBC_SHA384: Self = Self(0x00B3);
    #[doc = "`TLS_DHE_PSK_WITH_NULL_SHA256` (0x00B4)"]
    pub const TLS_DHE_PSK_WITH_NULL_SHA256: Self = Self(0x00B4);
    #[doc = "`TLS_DHE_PSK_WITH_NULL_SHA384` (0x00B5)"]
    pub const TLS_DHE_PSK_WITH_NULL_SHA384: Self = Self(0x00B5);
    #[doc = "`TLS_RSA_PSK_WITH_AES_128_CBC_SHA256` (0x00B6)"]
    pub const TLS_RSA_PSK_WITH_AES_128_CBC_SHA256: Self = Self(0x00B6);
    #[doc = "`TLS_RSA_PSK_WITH_AES_256_CBC_SHA384` (0x00B7)"]
    pub const TLS_RSA_PSK_WITH_AES_256_CBC_SHA384: Self = Self(0x00B7);
    #[doc = "`TLS_RSA_PSK_WITH_NULL_SHA256` (0x00B8)"]
    pub const TLS_RSA_PSK_WITH_NULL_SHA256: Self = Self(0x00B8);
    #[doc = "`TLS_RSA_PSK_WITH_NULL_SHA384` (0x00B9)"]
    pub const TLS_RSA_PSK_WITH_NULL_SHA384: Self = Self(0x00B9);
    #[doc = "`TLS_RSA_WITH_CAMELLIA_128_CBC_SHA256` (0x00BA)"]
    pub const TLS_RSA_WITH_CAMELLIA_128_CBC_SHA256: Self = Self(0x00BA);
    #[doc = "`TLS_DH_DSS_WITH_CAMELLIA_128_CBC_SHA256` (0x00BB)"]
    pub const TLS_DH_DSS_WITH_CAMELLIA_128_CBC_SHA256: Self = Self(0x00BB);
    #[doc = "`TLS_DH_RSA_WITH_CAMELLIA_128_CBC_SHA256` (0x00BC)"]
    pub const TLS_DH_RSA_WITH_CAMELLIA_128_CBC_SHA256: Self = Self(0x00BC);
    #[doc = "`TLS_DHE_DSS_WITH_CAMELLIA_128_CBC_SHA256` (0x00BD)"]
    pub const TLS_DHE_DSS_WITH_CAMELLIA_128_CBC_SHA256: Self = Self(0x00BD);
    #[doc = "`TLS_DHE_RSA_WITH_CAMELLIA_128_CBC_SHA256` (0x00BE)"]
    pub const TLS_DHE_RSA_WITH_CAMELLIA_128_CBC_SHA256: Self = Self(0x00BE);
    #[doc = "`TLS_DH_anon_WITH_CAMELLIA_128_CBC_SHA256` (0x00BF)"]
    pub const TLS_DH_ANON_WITH_CAMELLIA_128_CBC_SHA256: Self = Self(0x00BF);
    #[doc = "`TLS_RSA_WITH_CAMELLIA_256_CBC_SHA256` (0x00C0)"]
    pub const TLS_RSA_WITH_CAMELLIA_256_CBC_SHA256: Self = Self(0x00C0);
    #[doc = "`TLS_DH_DSS_WITH_CAMELLIA_256_CBC_SHA256` (0x00C1)"]
    pub const TLS_DH_DSS_WITH_CAMELLIA_256_CBC_SHA256: Self = Self(0x00C1);
    #[doc = "`TLS_DH_RSA_WITH_CAMELLIA_256_CBC_SHA256` (0x00C2)"]
    pub const TLS_DH_RSA_WITH_CAMELLIA_256_CBC_SHA256: Self = Self(0x00C2);
    #[doc = "`TLS_DHE_DSS_WITH_CAMELLIA_256_CBC_SHA256` (0x00C3)"]
    pub const TLS_DHE_DSS_WITH_CAMELLIA_256_CBC_SHA256: Self = Self(0x00C3);
    #[doc = "`TLS_DHE_RSA_WITH_CAMELLIA_256_CBC_SHA256` (0x00C4)"]
    pub const TLS_DHE_RSA_WITH_CAMELLIA_256_CBC_SHA256: Self = Self(0x00C4);
    #[doc = "`TLS_DH_anon_WITH_CAMELLIA_256_CBC_SHA256` (0x00C5)"]
    pub const TLS_DH_ANON_WITH_CAMELLIA_256_CBC_SHA256: Self = Self(0x00C5);
    #[doc = "`TLS_SM4_GCM_SM3` (0x00C6)"]
    pub const TLS_SM4_GCM_SM3: Self = Self(0x00C6);
    #[doc = "`TLS_SM4_CCM_SM3` (0x00C7)"]
    pub const TLS_SM4_CCM_SM3: Self = Self(0x00C7);
    #[doc = "`TLS_EMPTY_RENEGOTIATION_INFO_SCSV` (0x00FF)"]
    pub const TLS_EMPTY_RENEGOTIATION_INFO_SCSV: Self = Self(0x00FF);
    #[doc = "`TLS_AES_128_GCM_SHA256` (0x1301)"]
    pub const TLS_AES_128_GCM_SHA256: Self = Self(0x1301);
    #[doc = "`TLS_AES_256_GCM_SHA384` (0x1302)"]
    pub const TLS_AES_256_GCM_SHA384: Self = Self(0x1302);
    #[doc = "`TLS_CHACHA20_POLY1305_SHA256` (0x1303)"]
    pub const TLS_CHACHA20_POLY1305_SHA256: Self = Self(0x1303);
    #[doc = "`TLS_AES_128_CCM_SHA256` (0x1304)"]
    pub const TLS_AES_128_CCM_SHA256: Self = Self(0x1304);
    #[doc = "`TLS_AES_128_CCM_8_SHA256` (0x1305)"]
    pub const TLS_AES_128_CCM_8_SHA256: Self = Self(0x1305);
    #[doc = "`TLS_AEGIS_256_SHA512` (0x1306)"]
    pub const TLS_AEGIS_256_SHA512: Self = Self(0x1306);
    #[doc = "`TLS_AEGIS_128L_SHA256` (0x1307)"]
    pub const TLS_AEGIS_128L_SHA256: Self = Self(0x1307);
    #[doc = "`TLS_FALLBACK_SCSV` (0x5600)"]
    pub const TLS_FALLBACK_SCSV: Self = Self(0x5600);
    #[doc = "`TLS_ECDH_ECDSA_WITH_NULL_SHA` (0xC001)"]
    pub const TLS_ECDH_ECDSA_WITH_NULL_SHA: Self = Self(0xC001);
    #[doc = "`TLS_ECDH_ECDSA_WITH_RC4_128_SHA` (0xC002)"]
    pub const TLS_ECDH_ECDSA_WITH_RC4_128_SHA: Self = Self(0xC002);
    #[doc = "`TLS_ECDH_ECDSA_WITH_3DES_EDE_CBC_SHA` (0xC003)"]
    pub const TLS_ECDH_ECDSA_WITH_3DES_EDE_CBC_SHA: Self = Self(0xC003);
    #[doc = "`TLS_ECDH_ECDSA_WITH_AES_128_CBC_SHA` (0xC004)"]
    pub const TLS_ECDH_ECDSA_WITH_AES_128_CBC_SHA: Self = Self(0xC004);
    #[doc = "`TLS_ECDH_ECDSA_WITH_AES_256_CBC_SHA` (0xC005)"]
    pub const TLS_ECDH_ECDSA_WITH_AES_256_CBC_SHA: Self = Self(0xC005);
    #[doc = "`TLS_ECDHE_ECDSA_WITH_NULL_SHA` (0xC006)"]
    pub const TLS_ECDHE_ECDSA_WITH_NULL_SHA: Self = Self(0xC006);
    #[doc = "`TLS_ECDHE_ECDSA_WITH_RC4_128_SHA` (0xC007)"]
    pub const TLS_ECDHE_ECDSA_WITH_RC4_128_SHA: Self = Self(0xC007);
    #[doc = "`TLS_ECDHE_ECDSA_WITH_3DES_EDE_CBC_SHA` (0xC008)"]
    pub const TLS_ECDHE_ECDSA_WITH_3DES_EDE_CBC_SHA: Self = Self(0xC008);
    #[doc = "`TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA` (0xC009)"]
    pub const TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA: Self = Self(0xC009);
    #[doc = "`TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA` (0xC00A)"]
    pub const TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA: Self = Self(0xC00A);
    #[doc = "`TLS_ECDH_RSA_WITH_NULL_SHA` (0xC00B)"]
    pub const TLS_ECDH_RSA_WITH_NULL_SHA: Self = Self(0xC00B);
    #[doc = "`TLS_ECDH_RSA_WITH_RC4_128_SHA` (0xC00C)"]
    pub const TLS_ECDH_RSA_WITH_RC4_128_SHA: Self = Self(0xC00C);
    #[doc = "`TLS_ECDH_RSA_WITH_3DES_EDE_CBC_SHA` (0xC00D)"]
    pub const TLS_ECDH_RSA_WITH_3DES_EDE_CBC_SHA: Self = Self(0xC00D);
    #[doc = "`TLS_ECDH_RSA_WITH_AES_128_CBC_SHA` (0xC00E)"]
    pub const TLS_ECDH_RSA_WITH_AES_128_CBC_SHA: Self = Self(0xC00E);
    #[doc = "`TLS_ECDH_RSA_WITH_AES_256_CBC_SHA` (0xC00F)"]
    pub const TLS_ECDH_RSA_WITH_AES_256_CBC_SHA: Self = Self(0xC00F);
    #[doc = "`TLS_ECDHE_RSA_WITH_NULL_SHA` (0xC010)"]
    pub const TLS_ECDHE_RSA_WITH_NULL_SHA: Self = Self(0xC010);
    #[doc = "`TLS_ECDHE_RSA_WITH_RC4_128_SHA` (0xC011)"]
    pub const TLS_ECDHE_RSA_WITH_RC4_128_SHA: Self = Self(0xC011);
    #[doc = "`TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA` (0xC012)"]
    pub const TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA: Self = Self(0xC012);
    #[doc = "`TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA` (0xC013)"]
    pub const TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA: Self = Self(0xC013);
    #[doc = "`TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA` (0xC014)"]
    pub const TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA: Self = Self(0xC014);
    #[doc = "`TLS_ECDH_anon_WITH_NULL_SHA` (0xC015)"]
    pub const TLS_ECDH_ANON_WITH_NULL_SHA: Self = Self(0xC015);
    #[doc = "`TLS_ECDH_anon_WITH_RC4_128_SHA` (0xC016)"]
    pub const TLS_ECDH_ANON_WITH_RC4_128_SHA: Self = Self(0xC016);
    #[doc = "`TLS_ECDH_anon_WITH_3DES_EDE_CBC_SHA` (0xC017)"]
    pub const TLS_ECDH_ANON_WITH_3DES_EDE_CBC_SHA: Self = Self(0xC017);
    #[doc = "`TLS_ECDH_anon_WITH_AES_128_CBC_SHA` (0xC018)"]
    pub const TLS_ECDH_ANON_WITH_AES_128_CBC_SHA: Self = Self(0xC018);
    #[doc = "`TLS_ECDH_anon_WITH_AES_256_CBC_SHA` (0xC019)"]
    pub const TLS_ECDH_ANON_WITH_AES_256_CBC_SHA: Self = Self(0xC019);
    #[doc = "`TLS_SRP_SHA_WITH_3DES_EDE_CBC_SHA` (0xC01A)"]
    pub const TLS_SRP_SHA_WITH_3DES_EDE_CBC_SHA: Self = Self(0xC01A);
    #[doc = "`TLS_SRP_SHA_RSA_WITH_3DES_EDE_CBC_SHA` (0xC01B)"]
    pub const TLS_SRP_SHA_RSA_WITH_3DES_EDE_CBC_SHA: Self = Self(0xC01B);
    #[doc = "`TLS_SRP_SHA_DSS_WITH_3DES_EDE_CBC_SHA` (0xC01C)"]
    pub const TLS_SRP_SHA_DSS_WITH_3DES_EDE_CBC_SHA: Self = Self(0xC01C);
    #[doc = "`TLS_SRP_SHA_WITH_AES_128_CBC_SHA` (0xC01D)"]
    pub const TLS_SRP_SHA_WITH_AES_128_CBC_SHA: Self = Self(0xC01D);
    #[doc = "`TLS_SRP_SHA_RSA_WITH_AES_128_CBC_SHA` (0xC01E)"]
    pub const TLS_SRP_SHA_RSA_WITH_AES_128_CBC_SHA: Self = Self(0xC01E);
    #[doc = "`TLS_SRP_SHA_DSS_WITH_AES_128_CBC_SHA` (0xC01F)"]
    pub const TLS_SRP_SHA_DSS_WITH_AES_128_CBC_SHA: Self = Self(0xC01F);
    #[doc = "`TLS_SRP_SHA_WITH_AES_256_CBC_SHA` (0xC020)"]
    pub const TLS_SRP_SHA_WITH_AES_256_CBC_SHA: Self = Self(0xC020);
    #[doc = "`TLS_SRP_SHA_RSA_WITH_AES_256_CBC_SHA` (0xC021)"]
    pub const TLS_SRP_SHA_RSA_WITH_AES_256_CBC_SHA: Self = Self(0xC021);
    #[doc = "`TLS_SRP_SHA_DSS_WITH_AES_256_CBC_SHA` (0xC022)"]
    pub const TLS_SRP_SHA_DSS_WITH_AES_256_CBC_SHA: Self = Self(0xC022);
    #[doc = "`TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256` (0xC023)"]
    pub const TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256: Self = Self(0xC023);
    #[doc = "`TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384` (0xC024)"]
    pub const TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384: Self = Self(0xC024);
    #[doc = "`TLS_ECDH_ECDSA_WITH_AES_128_CBC_SHA256` (0xC025)"]
    pub const TLS_ECDH_ECDSA_WITH_AES_128_CBC_SHA256: Self = Self(0xC025);
    #[doc = "`TLS_ECDH_ECDSA_WITH_AES_256_CBC_SHA384` (0xC026)"]
    pub const TLS_ECDH_ECDSA_WITH_AES_256_CBC_SHA384: Self = Self(0xC026);
    #[doc = "`TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256` (0xC027)"]
    pub const TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256: Self = Self(0xC027);
    #[doc = "`TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384` (0xC028)"]
    pub const TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384: Self = Self(0xC028);
    #[doc = "`TLS_ECDH_RSA_WITH_AES_128_CBC_SHA256` (0xC029)"]
    pub const TLS_ECDH_RSA_WITH_AES_128_CBC_SHA256: Self = Self(0xC029);
    #[doc = "`TLS_ECDH_RSA_WITH_AES_256_CBC_SHA384` (0xC02A)"]
    pub const TLS_ECDH_RSA_WITH_AES_256_CBC_SHA384: Self = Self(0xC02A);
    #[doc = "`TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256` (0xC02B)"]
    pub const TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256: Self = Self(0xC02B);
    #[doc = "`TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384` (0xC02C)"]
    pub const TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384: Self = Self(0xC02C);
    #[doc = "`TLS_ECDH_ECDSA_WITH_AES_128_GCM_SHA256` (0xC02D)"]
    pub const TLS_ECDH_ECDSA_WITH_AES_128_GCM_SHA256: Self = Self(0xC02D);
    #[doc = "`TLS_ECDH_ECDSA_WITH_AES_256_GCM_SHA384` (0xC02E)"]
    pub const TLS_ECDH_ECDSA_WITH_AES_256_GCM_SHA384: Self = Self(0xC02E);
    #[doc = "`TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256` (0xC02F)"]
    pub const TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256: Self = Self(0xC02F);
    #[doc = "`TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384` (0xC030)"]
    pub const TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384: Self = Self(0xC030);
    #[doc = "`TLS_ECDH_RSA_WITH_AES_128_GCM_SHA256` (0xC031)"]
    pub const TLS_ECDH_RSA_WITH_AES_128_GCM_SHA256: Self = Self(0xC031);
    #[doc = "`TLS_ECDH_RSA_WITH_AES_256_GCM_SHA384` (0xC032)"]
    pub const TLS_ECDH_RSA_WITH_AES_256_GCM_SHA384: Self = Self(0xC032);
    #[doc = "`TLS_ECDHE_PSK_WITH_RC4_128_SHA` (0xC033)"]
    pub const TLS_ECDHE_PSK_WITH_RC4_128_SHA: Self = Self(0xC033);
    #[doc = "`TLS_ECDHE_PSK_WITH_3DES_EDE_CBC_SHA` (0xC034)"]
    pub const TLS_ECDHE_PSK_WITH_3DES_EDE_CBC_SHA: Self = Self(0xC034);
    #[doc = "`TLS_ECDHE_PSK_WITH_AES_128_CBC_SHA` (0xC035)"]
    pub const TLS_ECDHE_PSK_WITH_AES_128_CBC_SHA: Self = Self(0xC035);
    #[doc = "`TLS_ECDHE_PSK_WITH_AES_256_CBC_SHA` (0xC036)"]
    pub const TLS_ECDHE_PSK_WITH_AES_256_CBC_SHA: Self = Self(0xC036);
    #[doc = "`TLS_ECDHE_PSK_WITH_AES_128_CBC_SHA256` (0xC037)"]
    pub const TLS_ECDHE_PSK_WITH_AES_128_CBC_SHA256: Self = Self(0xC037);
    #[doc = "`TLS_ECDHE_PSK_WITH_AES_256_CBC_SHA384` (0xC038)"]
    pub const TLS_ECDHE_PSK_WITH_AES_256_CBC_SHA384: Self = Self(0xC038);
    #[doc = "`TLS_ECDHE_PSK_WITH_NULL_SHA` (0xC039)"]
    pub const TLS_ECDHE_PSK_WITH_NULL_SHA: Self = Self(0xC039);
    #[doc = "`TLS_ECDHE_PSK_WITH_NULL_SHA256` (0xC03A)"]
    pub const TLS_ECDHE_PSK_WITH_NULL_SHA256: Self = Self(0xC03A);
    #[doc = "`TLS_ECDHE_PSK_WITH_NULL_SHA384` (0xC03B)"]
    pub const TLS_ECDHE_PSK_WITH_NULL_SHA384: Self = Self(0xC03B);
    #[doc = "`TLS_RSA_WITH_ARIA_128_CBC_SHA256` (0xC03C)"]
    pub const TLS_RSA_WITH_ARIA_128_CBC_SHA256: Self = Self(0xC03C);
    #[doc = "`TLS_RSA_WITH_ARIA_256_CBC_SHA384` (0xC03D)"]
    pub const TLS_RSA_WITH_ARIA_256_CBC_SHA384: Self = Self(0xC03D);
    #[doc = "`TLS_DH_DSS_WITH_ARIA_128_CBC_SHA256` (0xC03E)"]
    pub const TLS_DH_DSS_WITH_ARIA_128_CBC_SHA256: Self = Self(0xC03E);
    #[doc = "`TLS_DH_DSS_WITH_ARIA_256_CBC_SHA384` (0xC03F)"]
    pub const TLS_DH_DSS_WITH_ARIA_256_CBC_SHA384: Self = Self(0xC03F);
    #[doc = "`TLS_DH_RSA_WITH_ARIA_128_CBC_SHA256` (0xC040)"]
    pub const TLS_DH_RSA_WITH_ARIA_128_CBC_SHA256: Self = Self(0xC040);
    #[doc = "`TLS_DH_RSA_WITH_ARIA_256_CBC_SHA384` (0xC041)"]
    pub const TLS_DH_RSA_WITH_ARIA_256_CBC_SHA384: Self = Self(0xC041);
    #[doc = "`TLS_DHE_DSS_WITH_ARIA_128_CBC_SHA256` (0xC042)"]
    pub const TLS_DHE_DSS_WITH_ARIA_128_CBC_SHA256: Self = Self(0xC042);
    #[doc = "`TLS_DHE_DSS_WITH_ARIA_256_CBC_SHA384` (0xC043)"]
    pub const TLS_DHE_DSS_WITH_ARIA_256_CBC_SHA384: Self = Self(0xC043);
    #[doc = "`TLS_DHE_RSA_WITH_ARIA_128_CBC_SHA256` (0xC044)"]
    pub const TLS_DHE_RSA_WITH_ARIA_128_CBC_SHA256: Self = Self(0xC044);
    #[doc = "`TLS_DHE_RSA_WITH_ARIA_256_CBC_SHA384` (0xC045)"]
    pub const TLS_DHE_RSA_WITH_ARIA_256_CBC_SHA384: Self = Self(0xC045);
    #[doc = "`TLS_DH_anon_WITH_ARIA_128_CBC_SHA256` (0xC046)"]
    pub const TLS_DH_ANON_WITH_ARIA_128_CBC_SHA256: Self = Self(0xC046);
    #[doc = "`TLS_DH_anon_WITH_ARIA_256_CBC_SHA384` (0xC047)"]
    pub const TLS_DH_ANON_WITH_ARIA_256_CBC_SHA384: Self = Self(0xC047);
    #[doc = "`TLS_ECDHE_ECDSA_WITH_ARIA_128_CBC_SHA256` (0xC048)"]
    pub const TLS_ECDHE_ECDSA_WITH_ARIA_128_CBC_SHA256: Self = Self(0xC048);
    #[doc = "`TLS_ECDHE_ECDSA_WITH_ARIA_256_CBC_SHA384` (0xC049)"]
    pub const TLS_ECDHE_ECDSA_WITH_ARIA_256_CBC_SHA384: Self = Self(0xC049);
    #[doc = "`TLS_ECDH_ECDSA_WITH_ARIA_128_CBC_SHA256` (0xC04A)"]
    pub const TLS_ECDH_ECDSA_WITH_ARIA_128_CBC_SHA256: Self = Self(0xC04A);
    #[doc = "`TLS_ECDH_ECDSA_WITH_ARIA_256_CBC_SHA384` (0xC04B)"]
    pub const TLS_ECDH_ECDSA_WITH_ARIA_256_CBC_SHA384: Self = Self(0xC04B);
    #[doc = "`TLS_ECDHE_RSA_WITH_ARIA_128_CBC_SHA256` (0xC04C)"]
    pub const TLS_ECDHE_RSA_WITH_ARIA_128_CBC_SHA256: Self = Self(0xC04C);
    #[doc = "`TLS_ECDHE_RSA_WITH_ARIA_256_CBC_SHA384` (0xC04D)"]
    pub const TLS_ECDHE_RSA_WITH_ARIA_256_CBC_SHA384: Self = Self(0xC04D);
    #[doc = "`TLS_ECDH_RSA_WITH_ARIA_128_CBC_SHA256` (0xC04E)"]
    pub const TLS_ECDH_RSA_WITH_ARIA_128_CBC_SHA256: Self = Self(0xC04E);
    #[doc = "`TLS_ECDH_RSA_WITH_ARIA_256_CBC_SHA384` (0xC04F)"]
    pub const TLS_ECDH_RSA_WITH_ARIA_256_CBC_SHA384: Self = Self(0xC04F);
    #[doc = "`TLS_RSA_WITH_ARIA_128_GCM_SHA256` (0xC050)"]
    pub const TLS_RSA_WITH_ARIA_128_GCM_SHA256: Self = Self(0xC050);
    #[doc = "`TLS_RSA_WITH_ARIA_256_GCM_SHA384` (0xC051)"]
    pub const TLS_RSA_WITH_ARIA_256_GCM_SHA384: Self = Self(0xC051);
    #[doc = "`TLS_DHE_RSA_WITH_ARIA_128_GCM_SHA256` (0xC052)"]
    pub const TLS_DHE_RSA_WITH_ARIA_128_GCM_SHA256: Self = Self(0xC052);
    #[doc = "`TLS_DHE_RSA_WITH_ARIA_256_GCM_SHA384` (0xC053)"]
    pub const TLS_DHE_RSA_WITH_ARIA_256_GCM_SHA384: Self = Self(0xC053);
    #[doc = "`TLS_DH_RSA_WITH_ARIA_128_GCM_SHA256` (0xC054)"]
    pub const TLS_DH_RSA_WITH_ARIA_128_GCM_SHA256: Self = Self(0xC054);
    #[doc = "`TLS_DH_RSA_WITH_ARIA_256_GCM_SHA384` (0xC055)"]
    pub const TLS_DH_RSA_WITH_ARIA_256_GCM_SHA384: Self = Self(0xC055);
    #[doc = "`TLS_DHE_DSS_WITH_ARIA_128_GCM_SHA256` (0xC056)"]
    pub const TLS_DHE_DSS_WITH_ARIA_128_GCM_SHA256: Self = Self(0xC056);
    #[doc = "`TLS_DHE_DSS_WITH_ARIA_256_GCM_SHA384` (0xC057)"]
    pub const TLS_DHE_DSS_WITH_ARIA_256_GCM_SHA384: Self = Self(0xC057);
    #[doc = "`TLS_DH_DSS_WITH_ARIA_128_GCM_SHA256` (0xC058)"]
    pub const TLS_DH_DSS_WITH_ARIA_128_GCM_SHA256: Self = Self(0xC058);
    #[doc = "`TLS_DH_DSS_WITH_ARIA_256_GCM_SHA384` (0xC059)"]
    pub const TLS_DH_DSS_WITH_ARIA_256_GCM_SHA384: Self = Self(0xC059);
    #[doc = "`TLS_DH_anon_WITH_ARIA_128_GCM_SHA256` (0xC05A)"]
    pub const TLS_DH_ANON_WITH_ARIA_128_GCM_SHA256: Self = Self(0xC05A);
    #[doc = "`TLS_DH_anon_WITH_ARIA_256_GCM_SHA384` (0xC05B)"]
    pub const TLS_DH_ANON_WITH_ARIA_256_GCM_SHA384: Self = Self(0xC05B);
    #[doc = "`TLS_ECDHE_ECDSA_WITH_ARIA_128_GCM_SHA256` (0xC05C)"]
    pub const TLS_ECDHE_ECDSA_WITH_ARIA_128_GCM_SHA256: Self = Self(0xC05C);
    #[doc = "`TLS_ECDHE_ECDSA_WITH_ARIA_256_GCM_SHA384` (0xC05D)"]
    pub const TLS_ECDHE_ECDSA_WITH_ARIA_256_GCM_SHA384: Self = Self(0xC05D);
    #[doc = "`TLS_ECDH_ECDSA_WITH_ARIA_128_GCM_SHA256` (0xC05E)"]
    pub const TLS_ECDH_ECDSA_WITH_ARIA_128_GCM_SHA256: Self = Self(0xC05E);
    #[doc = "`TLS_ECDH_ECDSA_WITH_ARIA_256_GCM_SHA384` (0xC05F)"]
    pub const TLS_ECDH_ECDSA_WITH_ARIA_256_GCM_SHA384: Self = Self(0xC05F);
    #[doc = "`TLS_ECDHE_RSA_WITH_ARIA_128_GCM_SHA256` (0xC060)"]
    pub const TLS_ECDHE_RSA_WITH_ARIA_128_GCM_SHA256: Self = Self(0xC060);
    #[doc = "`TLS_ECDHE_RSA_WITH_ARIA_256_GCM_SHA384` (0xC061)"]
    pub const TLS_ECDHE_RSA_WITH_ARIA_256_GCM_SHA384: Self = Self(0xC061);
    #[doc = "`TLS_ECDH_RSA_WITH_ARIA_128_GCM_SHA256` (0xC062)"]
    pub const TLS_ECDH_RSA_WITH_ARIA_128_GCM_SHA256: Self = Self(0xC062);
    #[doc = "`TLS_ECDH_RSA_WITH_ARIA_256_GCM_SHA384` (0xC063)"]
    pub const TLS_ECDH_RSA_WITH_ARIA_256_GCM_SHA384: Self = Self(0xC063);
    #[doc = "`TLS_PSK_WITH_ARIA_128_CBC_SHA256` (0xC064)"]
    pub const TLS_PSK_WITH_ARIA_128_CBC_SHA256: Self = Self(0xC064);
    #[doc = "`TLS_PSK_WITH_ARIA_256_CBC_SHA384` (0xC065)"]
    pub const TLS_PSK_WITH_ARIA_256_CBC_SHA384: Self = Self(0xC065);
    #[doc = "`TLS_DHE_PSK_WITH_ARIA_128_CBC_SHA256` (0xC066)"]
    pub const TLS_DHE_PSK_WITH_ARIA_128_CBC_SHA256: Self = Self(0xC066);
    #[doc = "`TLS_DHE_PSK_WITH_ARIA_256_CBC_SHA384` (0xC067)"]
    pub const TLS_DHE_PSK_WITH_ARIA_256_CBC_SHA384: Self = Self(0xC067);
    #[doc = "`TLS_RSA_PSK_WITH_ARIA_128_CBC_SHA256` (0xC068)"]
    pub const TLS_RSA_PSK_WITH_ARIA_128_CBC_SHA256: Self = Self(0xC068);
    #[doc = "`TLS_RSA_PSK_WITH_ARIA_256_CBC_SHA384` (0xC069)"]
    pub const TLS_RSA_PSK_WITH_ARIA_256_CBC_SHA384: Self = Self(0xC069);
    #[doc = "`TLS_PSK_WITH_ARIA_128_GCM_SHA256` (0xC06A)"]
    pub const TLS_PSK_WITH_ARIA_128_GCM_SHA256: Self = Self(0xC06A);
    #[doc = "`TLS_PSK_WITH_ARIA_256_GCM_SHA384` (0xC06B)"]
    pub const TLS_PSK_WITH_ARIA_256_GCM_SHA384: Self = Self(0xC06B);
    #[doc = "`TLS_DHE_PSK_WITH_ARIA_128_GCM_SHA256` (0xC06C)"]
    pub const TLS_DHE_PSK_WITH_ARIA_128_GCM_SHA256: Self = Self(0xC06C);
    #[doc = "`TLS_DHE_PSK_WITH_ARIA_256_GCM_SHA384` (0xC06D)"]
    pub const TLS_DHE_PSK_WITH_ARIA_256_GCM_SHA384: Self = Self(0xC06D);
    #[doc = "`TLS_RSA_PSK_WITH_ARIA_128_GCM_SHA256` (0xC06E)"]
    pub const TLS_RSA_PSK_WITH_ARIA_128_GCM_SHA256: Self = Self(0xC06E);
    #[doc = "`TLS_RSA_PSK_WITH_ARIA_256_GCM_SHA384` (0xC06F)"]
    pub const TLS_RSA_PSK_WITH_ARIA_256_GCM_SHA384: Self = Self(0xC06F);
    #[doc = "`TLS_ECDHE_PSK_WITH_ARIA_128_CBC_SHA256` (0xC070)"]
    pub const TLS_ECDHE_PSK_WITH_ARIA_128_CBC_SHA256: Self = Self(0xC070);
    #[doc = "`TLS_ECDHE_PSK_WITH_ARIA_256_CBC_SHA384` (0xC071)"]
    pub const TLS_ECDHE_PSK_WITH_ARIA_256_CBC_SHA384: Self = Self(0xC071);
    #[doc = "`TLS_ECDHE_ECDSA_WITH_CAMELLIA_128_CBC_SHA256` (0xC072)"]
    pub const TLS_ECDHE_ECDSA_WITH_CAMELLIA_128_CBC_SHA256: Self = Self(0xC072);
    #[doc = "`TLS_ECDHE_ECDSA_WITH_CAMELLIA_256_CBC_SHA384` (0xC073)"]
    pub const TLS_ECDHE_ECDSA_WITH_CAMELLIA_256_CBC_SHA384: Self = Self(0xC073);
    #[doc = "`TLS_ECDH_ECDSA_WITH_CAMELLIA_128_CBC_SHA256` (0xC074)"]
    pub const TLS_ECDH_ECDSA_WITH_CAMELLIA_128_CBC_SHA256: Self = Self(0xC074);
    #[doc = "`TLS_ECDH_ECDSA_WITH_CAMELLIA_256_CBC_SHA384` (0xC075)"]
    pub const TLS_ECDH_ECDSA_WITH_CAMELLIA_256_CBC_SHA384: Self = Self(0xC075);
    #[doc = "`TLS_ECDHE_RSA_WITH_CAMELLIA_128_CBC_SHA256` (0xC076)"]
    pub const TLS_ECDHE_RSA_WITH_CAMELLIA_128_CBC_SHA256: Self = Self(0xC076);
    #[doc = "`TLS_ECDHE_RSA_WITH_CAMELLIA_256_CBC_SHA384` (0xC077)"]
    pub const TLS_ECDHE_RSA_WITH_CAMELLIA_256_CBC_SHA384: Self = Self(0xC077);
    #[doc = "`TLS_ECDH_RSA_WITH_CAMELLIA_128_CBC_SHA256` (0xC078)"]
    pub const TLS_ECDH_RSA_WITH_CAMELLIA_128_CBC_SHA256: Self = Self(0xC078);
    #[doc = "`TLS_ECDH_RSA_WITH_CAMELLIA_256_CBC_SHA384` (0xC079)"]
    pub const TLS_ECDH_RSA_WITH_CAMELLIA_256_CBC_SHA384: Self = Self(0xC079);
    #[doc = "`TLS_RSA_WITH_CAMELLIA_128_GCM_SHA256` (0xC07A)"]
    pub const TLS_RSA_WITH_CAMELLIA_128_GCM_SHA256: Self = Self(0xC07A);
    #[doc = "`TLS_RSA_WITH_CAMELLIA_256_GCM_SHA384` (0xC07B)"]
    pub const TLS_RSA_WITH_CAMELLIA_256_GCM_SHA384: Self = Self(0xC07B);
    #[doc = "`TLS_DHE_RSA_WITH_CAMELLIA_128_GCM_SHA256` (0xC07C)"]
    pub const TLS_DHE_RSA_WITH_CAMELLIA_128_GCM_SHA256: Self = Self(0xC07C);
    #[doc = "`TLS_DHE_RSA_WITH_CAMELLIA_256_GCM_SHA384` (0xC07D)"]
    pub const TLS_DHE_RSA_WITH_CAMELLIA_256_GCM_SHA384: Self = Self(0xC07D);
    #[doc = "`TLS_DH_RSA_WITH_CAMELLIA_128_GCM_SHA256` (0xC07E)"]
    pub const TLS_DH_RSA_WITH_CAMELLIA_128_GCM_SHA256: Self = Self(0xC07E);
    #[doc = "`TLS_DH_RSA_WITH_CAMELLIA_256_GCM_SHA384` (0xC07F)"]
    pub const TLS_DH_RSA_WITH_CAMELLIA_256_GCM_SHA384: Self = Self(0xC07F);
    #[doc = "`TLS_DHE_DSS_WITH_CAMELLIA_128_GCM_SHA256` (0xC080)"]
    pub const TLS_DHE_DSS_WITH_CAMELLIA_128_GCM_SHA256: Self = Self(0xC080);
    #[doc = "`TLS_DHE_DSS_WITH_CAMELLIA_256_GCM_SHA384` (0xC081)"]
    pub const TLS_DHE_DSS_WITH_CAMELLIA_256_GCM_SHA384: Self = Self(0xC081);
    #[doc = "`TLS_DH_DSS_WITH_CAMELLIA_128_GCM_SHA256` (0xC082)"]
    pub const TLS_DH_DSS_WITH_CAMELLIA_128_GCM_SHA256: Self = Self(0xC082);
    #[doc = "`TLS_DH_DSS_WITH_CAMELLIA_256_GCM_SHA384` (0xC083)"]
    pub const TLS_DH_DSS_WITH_CAMELLIA_256_GCM_SHA384: Self = Self(0xC083);
    #[doc = "`TLS_DH_anon_WITH_CAMELLIA_128_GCM_SHA256` (0xC084)"]
    pub const TLS_DH_ANON_WITH_CAMELLIA_128_GCM_SHA256: Self = Self(0xC084);
    #[doc = "`TLS_DH_anon_WITH_CAMELLIA_256_GCM_SHA384` (0xC085)"]
    pub const TLS_DH_ANON_WITH_CAMELLIA_256_GCM_SHA384: Self = Self(0xC085);
    #[doc = "`TLS_ECDHE_ECDSA_WITH_CAMELLIA_128_GCM_SHA256` (0xC086)"]
    pub const TLS_ECDHE_ECDSA_WITH_CAMELLIA_128_GCM_SHA256: Self = Self(0xC086);
    #[doc = "`TLS_ECDHE_ECDSA_WITH_CAMELLIA_256_GCM_SHA384` (0xC087)"]
    pub const TLS_ECDHE_ECDSA_WITH_CAMELLIA_256_GCM_SHA384: Self = Self(0xC087);
    #[doc = "`TLS_ECDH_ECDSA_WITH_CAMELLIA_128_GCM_SHA256` (0xC088)"]
    pub const TLS_ECDH_ECDSA_WITH_CAMELLIA_128_GCM_SHA256: Self = Self(0xC088);
    #[doc = "`TLS_ECDH_ECDSA_WITH_CAMELLIA_256_GCM_SHA384` (0xC089)"]
    pub const TLS_ECDH_ECDSA_WITH_CAMELLIA_256_GCM_SHA384: Self = Self(0xC089);
    #[doc = "`TLS_ECDHE_RSA_WITH_CAMELLIA_128_GCM_SHA256` (0xC08A)"]
    pub const TLS_ECDHE_RSA_WITH_CAMELLIA_128_GCM_SHA256: Self = Self(0xC08A);
    #[doc = "`TLS_ECDHE_RSA_WITH_CAMELLIA_256_GCM_SHA384` (0xC08B)"]
    pub const TLS_ECDHE_RSA_WITH_CAMELLIA_256_GCM_SHA384: Self = Self(0xC08B);
    #[doc = "`TLS_ECDH_RSA_WITH_CAMELLIA_128_GCM_SHA256` (0xC08C)"]
    pub const TLS_ECDH_RSA_WITH_CAMELLIA_128_GCM_SHA256: Self = Self(0xC08C);
    #[doc = "`TLS_ECDH_RSA_WITH_CAMELLIA_256_GCM_SHA384` (0xC08D)"]
    pub const TLS_ECDH_RSA_WITH_CAMELLIA_256_GCM_SHA384: Self = Self(0xC08D);
    #[doc = "`TLS_PSK_WITH_CAMELLIA_128_GCM_SHA256` (0xC08E)"]
    pub const TLS_PSK_WITH_CAMELLIA_128_GCM_SHA256: Self = Self(0xC08E);
    #[doc = "`TLS_PSK_WITH_CAMELLIA_256_GCM_SHA384` (0xC08F)"]
    pub const TLS_PSK_WITH_CAMELLIA_256_GCM_SHA384: Self = Self(0xC08F);
    #[doc = "`TLS_DHE_PSK_WITH_CAMELLIA_128_GCM_SHA256` (0xC090)"]
    pub const TLS_DHE_PSK_WITH_CAMELLIA_128_GCM_SHA256: Self = Self(0xC090);
    #[doc = "`TLS_DHE_PSK_WITH_CAMELLIA_256_GCM_SHA384` (0xC091)"]
    pub const TLS_DHE_PSK_WITH_CAMELLIA_256_GCM_SHA384: Self = Self(0xC091);
    #[doc = "`TLS_RSA_PSK_WITH_CAMELLIA_128_GCM_SHA256` (0xC092)"]
    pub const TLS_RSA_PSK_WITH_CAMELLIA_128_GCM_SHA256: Self = Self(0xC092);
    #[doc = "`TLS_RSA_PSK_WITH_CAMELLIA_256_GCM_SHA384` (0xC093)"]
    pub const TLS_RSA_PSK_WITH_CAMELLIA_256_GCM_SHA384: Self = Self(0xC093);
    #[doc = "`TLS_PSK_WITH_CAMELLIA_128_CBC_SHA256` (0xC094)"]
    pub const TLS_PSK_WITH_CAMELLIA_128_CBC_SHA256: Self = Self(0xC094);
    #[doc = "`TLS_PSK_WITH_CAMELLIA_256_CBC_SHA384` (0xC095)"]
    pub const TLS_PSK_WITH_CAMELLIA_256_CBC_SHA384: Self = Self(0xC095);
    #[doc = "`TLS_DHE_PSK_WITH_CAMELLIA_128_CBC_SHA256` (0xC096)"]
    pub const TLS_DHE_PSK_WITH_CAMELLIA_128_CBC_SHA256: Self = Self(0xC096);
    #[doc = "`TLS_DHE_PSK_WITH_CAMELLIA_256_CBC_SHA384` (0xC097)"]
    pub const TLS_DHE_PSK_WITH_CAMELLIA_256_CBC_SHA384: Self = Self(0xC097);
    #[doc = "`TLS_RSA_PSK_WITH_CAMELLIA_128_CBC_SHA256` (0xC098)"]
    pub const TLS_RSA_PSK_WITH_CAMELLIA_128_CBC_SHA256: Self = Self(0xC098);
    #[doc = "`TLS_RSA_PSK_WITH_CAMELLIA_256_CBC_SHA384` (0xC099)"]
    pub const TLS_RSA_PSK_WITH_CAMELLIA_256_CBC_SHA384: Self = Self(0xC099);
    #[doc = "`TLS_ECDHE_PSK_WITH_CAMELLIA_128_CBC_SHA256` (0xC09A)"]
    pub const TLS_ECDHE_PSK_WITH_CAMELLIA_128_CBC_SHA256: Self = Self(0xC09A);
    #[doc = "`TLS_ECDHE_PSK_WITH_CAMELLIA_256_CBC_SHA384` (0xC09B)"]
    pub const TLS_ECDHE_PSK_WITH_CAMELLIA_256_CBC_SHA384: Self = Self(0xC09B);
    #[doc = "`TLS_RSA_WITH_AES_128_CCM` (0xC09C)"]
    pub const TLS_RSA_WITH_AES_128_CCM: Self = Self(0xC09C);
    #[doc = "`TLS_RSA_WITH_AES_256_CCM` (0xC09D)"]
    pub const TLS_RSA_WITH_AES_256_CCM: Self = Self(0xC09D);
    #[doc = "`TLS_DHE_RSA_WITH_AES_128_CCM` (0xC09E)"]
    pub const TLS_DHE_RSA_WITH_AES_128_CCM: Self = Self(0xC09E);
    #[doc = "`TLS_DHE_RSA_WITH_AES_256_CCM` (0xC09F)"]
    pub const TLS_DHE_RSA_WITH_AES_256_CCM: Self = Self(0xC09F);
    #[doc = "`TLS_RSA_WITH_AES_128_CCM_8` (0xC0A0)"]
    pub const TLS_RSA_WITH_AES_128_CCM_8: Self = Self(0xC0A0);
    #[doc = "`TLS_RSA_WITH_AES_256_CCM_8` (0xC0A1)"]
    pub const TLS_RSA_WITH_AES_256_CCM_8: Self = Self(0xC0A1);
    #[doc = "`TLS_DHE_RSA_WITH_AES_128_CCM_8` (0xC0A2)"]
    pub const TLS_DHE_RSA_WITH_AES_128_CCM_8: Self = Self(0xC0A2);
    #[doc = "`TLS_DHE_RSA_WITH_AES_256_CCM_8` (0xC0A3)"]
    pub const TLS_DHE_RSA_WITH_AES_256_CCM_8: Self = Self(0xC0A3);
    #[doc = "`TLS_PSK_WITH_AES_128_CCM` (0xC0A4)"]
    pub const TLS_PSK_WITH_AES_128_CCM: Self = Self(0xC0A4);
    #[doc = "`TLS_PSK_WITH_AES_256_CCM` (0xC0A5)"]
    pub const TLS_PSK_WITH_AES_256_CCM: Self = Self(0xC0A5);
    #[doc = "`TLS_DHE_PSK_WITH_AES_128_CCM` (0xC0A6)"]
    pub const TLS_DHE_PSK_WITH_AES_128_CCM: Self = Self(0xC0A6);
    #[doc = "`TLS_DHE_PSK_WITH_AES_256_CCM` (0xC0A7)"]
    pub const TLS_DHE_PSK_WITH_AES_256_CCM: Self = Self(0xC0A7);
    #[doc = "`TLS_PSK_WITH_AES_128_CCM_8` (0xC0A8)"]
    pub const TLS_PSK_WITH_AES_128_CCM_8: Self = Self(0xC0A8);
    #[doc = "`TLS_PSK_WITH_AES_256_CCM_8` (0xC0A9)"]
    pub const TLS_PSK_WITH_AES_256_CCM_8: Self = Self(0xC0A9);
    #[doc = "`TLS_PSK_DHE_WITH_AES_128_CCM_8` (0xC0AA)"]
    pub const TLS_PSK_DHE_WITH_AES_128_CCM_8: Self = Self(0xC0AA);
    #[doc = "`TLS_PSK_DHE_WITH_AES_256_CCM_8` (0xC0AB)"]
    pub const TLS_PSK_DHE_WITH_AES_256_CCM_8: Self = Self(0xC0AB);
    #[doc = "`TLS_ECDHE_ECDSA_WITH_AES_128_CCM` (0xC0AC)"]
    pub const TLS_ECDHE_ECDSA_WITH_AES_128_CCM: Self = Self(0xC0AC);
    #[doc = "`TLS_ECDHE_ECDSA_WITH_AES_256_CCM` (0xC0AD)"]
    pub const TLS_ECDHE_ECDSA_WITH_AES_256_CCM: Self = Self(0xC0AD);
    #[doc = "`TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8` (0xC0AE)"]
    pub const TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8: Self = Self(0xC0AE);
    #[doc = "`TLS_ECDHE_ECDSA_WITH_AES_256_CCM_8` (0xC0AF)"]
    pub const TLS_ECDHE_ECDSA_WITH_AES_256_CCM_8: Self = Self(0xC0AF);
    #[doc = "`TLS_ECCPWD_WITH_AES_128_GCM_SHA256` (0xC0B0)"]
    pub const TLS_ECCPWD_WITH_AES_128_GCM_SHA256: Self = Self(0xC0B0);
    #[doc = "`TLS_ECCPWD_WITH_AES_256_GCM_SHA384` (0xC0B1)"]
    pub const TLS_ECCPWD_WITH_AES_256_GCM_SHA384: Self = Self(0xC0B1);
    #[doc = "`TLS_ECCPWD_WITH_AES_128_CCM_SHA256` (0xC0B2)"]
    pub const TLS_ECCPWD_WITH_AES_128_CCM_SHA256: Self = Self(0xC0B2);
    #[doc = "`TLS_ECCPWD_WITH_AES_256_CCM_SHA384` (0xC0B3)"]
    pub const TLS_ECCPWD_WITH_AES_256_CCM_SHA384: Self = Self(0xC0B3);
    #[doc = "`TLS_SHA256_SHA256` (0xC0B4)"]
    pub const TLS_SHA256_SHA256: Self = Self(0xC0B4);
    #[doc = "`TLS_SHA384_SHA384` (0xC0B5)"]
    pub const TLS_SHA384_SHA384: Self = Self(0xC0B5);
    #[doc = "`TLS_GOSTR341112_256_WITH_KUZNYECHIK_CTR_OMAC` (0xC100)"]
    pub const TLS_GOSTR341112_256_WITH_KUZNYECHIK_CTR_OMAC: Self = Self(0xC100);
    #[doc = "`TLS_GOSTR341112_256_WITH_MAGMA_CTR_OMAC` (0xC101)"]
    pub const TLS_GOSTR341112_256_WITH_MAGMA_CTR_OMAC: Self = Self(0xC101);
    #[doc = "`TLS_GOSTR341112_256_WITH_28147_CNT_IMIT` (0xC102)"]
    pub const TLS_GOSTR341112_256_WITH_28147_CNT_IMIT: Self = Self(0xC102);
    #[doc = "`TLS_GOSTR341112_256_WITH_KUZNYECHIK_MGM_L` (0xC103)"]
    pub const TLS_GOSTR341112_256_WITH_KUZNYECHIK_MGM_L: Self = Self(0xC103);
    #[doc = "`TLS_GOSTR341112_256_WITH_MAGMA_MGM_L` (0xC104)"]
    pub const TLS_GOSTR341112_256_WITH_MAGMA_MGM_L: Self = Self(0xC104);
    #[doc = "`TLS_GOSTR341112_256_WITH_KUZNYECHIK_MGM_S` (0xC105)"]
    pub const TLS_GOSTR341112_256_WITH_KUZNYECHIK_MGM_S: Self = Self(0xC105);
    #[doc = "`TLS_GOSTR341112_256_WITH_MAGMA_MGM_S` (0xC106)"]
    pub const TLS_GOSTR341112_256_WITH_MAGMA_MGM_S: Self = Self(0xC106);
    #[doc = "`TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256` (0xCCA8)"]
    pub const TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256: Self = Self(0xCCA8);
    #[doc = "`TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256` (0xCCA9)"]
    pub const TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256: Self = Self(0xCCA9);
    #[doc = "`TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256` (0xCCAA)"]
    pub const TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256: Self = Self(0xCCAA);
    #[doc = "`TLS_PSK_WITH_CHACHA20_POLY1305_SHA256` (0xCCAB)"]
    pub const TLS_PSK_WITH_CHACHA20_POLY1305_SHA256: Self = Self(0xCCAB);
    #[doc = "`TLS_ECDHE_PSK_WITH_CHACHA20_POLY1305_SHA256` (0xCCAC)"]
    pub const TLS_ECDHE_PSK_WITH_CHACHA20_POLY1305_SHA256: Self = Self(0xCCAC);
    #[doc = "`TLS_DHE_PSK_WITH_CHACHA20_POLY1305_SHA256` (0xCCAD)"]
    pub const TLS_DHE_PSK_WITH_CHACHA20_POLY1305_SHA256: Self = Self(0xCCAD);
    #[doc = "`TLS_RSA_PSK_WITH_CHACHA20_POLY1305_SHA256` (0xCCAE)"]
    pub const TLS_RSA_PSK_WITH_CHACHA20_POLY1305_SHA256: Self = Self(0xCCAE);
    #[doc = "`TLS_ECDHE_PSK_WITH_AES_128_GCM_SHA256` (0xD001)"]
    pub const TLS_ECDHE_PSK_WITH_AES_128_GCM_SHA256: Self = Self(0xD001);
    #[doc = "`TLS_ECDHE_PSK_WITH_AES_256_GCM_SHA384` (0xD002)"]
    pub const TLS_ECDHE_PSK_WITH_AES_256_GCM_SHA384: Self = Self(0xD002);
    #[doc = "`TLS_ECDHE_PSK_WITH_AES_128_CCM_8_SHA256` (0xD003)"]
    pub const TLS_ECDHE_PSK_WITH_AES_128_CCM_8_SHA256: Self = Self(0xD003);
    #[doc = "`TLS_ECDHE_PSK_WITH_AES_128_CCM_SHA256` (0xD005)"]
    pub const TLS_ECDHE_PSK_WITH_AES_128_CCM_SHA256: Self = Self(0xD005);
}

#[rustfmt::skip]
pub(crate) static CIPHER_SUITES: &[SuiteInfo] = &[
    SuiteInfo { suite: CipherSuite(0x0000), iana_name: "TLS_NULL_WITH_NULL_NULL", openssl_name: None, kx: KeyExchange::Null, auth: Authentication::Null, cipher: Cipher::Null, key_bits: 0, mode: CipherMode::Null, mac: Mac::Null, aead: false, forward_secrecy: false, export: false, min_version: ProtocolVersion::SSL3, status: RegistryStatus::Iana, reference: "rfc5246" },
    SuiteInfo { suite: CipherSuite(0x0001), iana_name: "TLS_RSA_WITH_NULL_MD5", openssl_name: Some("NULL-MD5"), kx: KeyExchange::Rsa, auth: Authentication::Rsa, cipher: Cipher::Null, key_bits: 0, mode: CipherMode::Null, mac: Mac::Md5, aead: false, forward_secrecy: false, export: false, min_version: ProtocolVersion::SSL3, status: RegistryStatus::Iana, reference: "rfc5246" },
    SuiteInfo { suite: CipherSuite(0x0002), iana_name: "TLS_RSA_WITH_NULL_SHA", openssl_name: Some("NULL-SHA"), kx: KeyExchange::Rsa, auth: Authentication::Rsa, cipher: Cipher::Null, key_bits: 0, mode: CipherMode::Null, mac: Mac::Sha1, aead: false, forward_secrecy: false, export: false, min_version: ProtocolVersion::SSL3, status: RegistryStatus::Iana, reference: "rfc5246" },
    SuiteInfo { suite: CipherSuite(0x0003), iana_name: "TLS_RSA_EXPORT_WITH_RC4_40_MD5", openssl_name: Some("EXP-RC4-MD5"), kx: KeyExchange::Rsa, auth: Authentication::Rsa, cipher: Cipher::Rc4, key_bits: 40, mode: CipherMode::Stream, mac: Mac::Md5, aead: false, forward_secrecy: false, export: true, min_version: ProtocolVersion::SSL3, status: RegistryStatus::Iana, reference: "rfc4346,rfc6347" },
    SuiteInfo { suite: CipherSuite(0x0004), iana_name: "TLS_RSA_WITH_RC4_128_MD5", openssl_name: Some("RC4-MD5"), kx: KeyExchange::Rsa, auth: Authentication::Rsa, cipher: Cipher::Rc4, key_bits: 128, mode: CipherMode::Stream, mac: Mac::Md5, aead: false, forward_secrecy: false, export: false, min_version: ProtocolVersion::SSL3, status: RegistryStatus::Iana, reference: "rfc5246,rfc6347" },
    SuiteInfo { suite: CipherSuite(0x0005), iana_name: "TLS_RSA_WITH_RC4_128_SHA", openssl_name: Some("RC4-SHA"), kx: KeyExchange::Rsa, auth: Authentication::Rsa, cipher: Cipher::Rc4, key_bits: 128, mode: CipherMode::Stream, mac: Mac::Sha1, aead: false, forward_secrecy: false, export: false, min_version: ProtocolVersion::SSL3, status: RegistryStatus::Iana, reference: "rfc5246,rfc6347" },
    SuiteInfo { suite: CipherSuite(0x0006), iana_name: "TLS_RSA_EXPORT_WITH_RC2_CBC_40_MD5", openssl_name: Some("EXP-RC2-CBC-MD5"), kx: KeyExchange::Rsa, auth: Authentication::Rsa, cipher: Cipher::Rc2, key_bits: 40, mode: CipherMode::Cbc, mac: Mac::Md5, aead: false, forward_secrecy: false, export: true, min_version: ProtocolVersion::SSL3, status: RegistryStatus::Iana, reference: "rfc4346" },
    SuiteInfo { suite: CipherSuite(0x0007), iana_name: "TLS_RSA_WITH_IDEA_CBC_SHA", openssl_name: Some("IDEA-CBC-SHA"), kx: KeyExchange::Rsa, auth: Authentication::Rsa, cipher: Cipher::Idea, key_bits: 128, mode: CipherMode::Cbc, mac: Mac::Sha1, aead: false, forward_secrecy: false, export: false, min_version: ProtocolVersion::SSL3, status: RegistryStatus::Iana, reference: "rfc8996" },
    SuiteInfo { suite: CipherSuite(0x0008), iana_name: "TLS_RSA_EXPORT_WITH_DES40_CBC_SHA", openssl_name: Some("EXP-DES-CBC-SHA"), kx: KeyExchange::Rsa, auth: Authentication::Rsa, cipher: Cipher::Des, key_bits: 40, mode: CipherMode::Cbc, mac: Mac::Sha1, aead: false, forward_secrecy: false, export: true, min_version: ProtocolVersion::SSL3, status: RegistryStatus::Iana, reference: "rfc4346" },
    SuiteInfo { suite: CipherSuite(0x0009), iana_name: "TLS_RSA_WITH_DES_CBC_SHA", openssl_name: Some("DES-CBC-SHA"), kx: KeyExchange::Rsa, auth: Authentication::Rsa, cipher: Cipher::Des, key_bits: 56, mode: CipherMode::Cbc, mac: Mac::Sha1, aead: false, forward_secrecy: false, export: false, min_version: ProtocolVersion::SSL3, status: RegistryStatus::Iana, reference: "rfc8996" },
    SuiteInfo { suite: CipherSuite(0x000A), iana_name: "TLS_RSA_WITH_3DES_EDE_CBC_SHA", openssl_name: Some("DES-CBC3-SHA"), kx: KeyExchange::Rsa, auth: Authentication::Rsa, cipher: Cipher::TripleDes, key_bits: 168, mode: CipherMode::Cbc, mac: Mac::Sha1, aead: false, forward_secrecy: false, export: false, min_version: ProtocolVersion::SSL3, status: RegistryStatus::Iana, reference: "rfc5246" },
    SuiteInfo { suite: CipherSuite(0x000B), iana_name: "TLS_DH_DSS_EXPORT_WITH_DES40_CBC_SHA", openssl_name: Some("EXP-DH-DSS-DES-CBC-SHA"), kx: KeyExchange::Dh, auth: Authentication::Dss, cipher: Cipher::Des, key_bits: 40, mode: CipherMode::Cbc, mac: Mac::Sha1, aead: false, forward_secrecy: false, export: true, min_version: ProtocolVersion::SSL3, status: RegistryStatus::Iana, reference: "rfc4346" },
    SuiteInfo { suite: CipherSuite(0x000C), iana_name: "TLS_DH_DSS_WITH_DES_CBC_SHA", openssl_name: Some("DH-DSS-DES-CBC-SHA"), kx: KeyExchange::Dh, auth: Authentication::Dss, cipher: Cipher::Des, key_bits: 56, mode: CipherMode::Cbc, mac: Mac::Sha1, aead: false, forward_secrecy: false, export: false, min_version: ProtocolVersion::SSL3, status: RegistryStatus::Iana, reference: "rfc8996" },
    SuiteInfo { suite: CipherSuite(0x000D), iana_name: "TLS_DH_DSS_WITH_3DES_EDE_CBC_SHA", openssl_name: Some("DH-DSS-DES-CBC3-SHA"), kx: KeyExchange::Dh, auth: Authentication::Dss, cipher: Cipher::TripleDes, key_bits: 168, mode: CipherMode::Cbc, mac: Mac::Sha1, aead: false, forward_secrecy: false, export: false, min_version: ProtocolVersion::SSL3, status: RegistryStatus::Iana, reference: "rfc5246" },
    SuiteInfo { suite: CipherSuite(0x000E), iana_name: "TLS_DH_RSA_EXPORT_WITH_DES40_CBC_SHA", openssl_name: Some("EXP-DH-RSA-DES-CBC-SHA"), kx: KeyExchange::Dh, auth: Authentication::Rsa, cipher: Cipher::Des, key_bits: 40, mode: CipherMode::Cbc, mac: Mac::Sha1, aead: false, forward_secrecy: false, export: true, min_version: ProtocolVersion::SSL3, status: RegistryStatus::Iana, reference: "rfc4346" },
    SuiteInfo { suite: CipherSuite(0x000F), iana_name: "TLS_DH_RSA_WITH_DES_CBC_SHA", openssl_name: Some("DH-RSA-DES-CBC-SHA"), kx: KeyExchange::Dh, auth: Authentication::Rsa, cipher: Cipher::Des, key_bits: 56, mode: CipherMode::Cbc, mac: Mac::Sha1, aead: false, forward_secrecy: false, export: false, min_version: ProtocolVersion::SSL3, status: RegistryStatus::Iana, reference: "rfc8996" },
    SuiteInfo { suite: CipherSuite(0x0010), iana_name: "TLS_DH_RSA_WITH_3DES_EDE_CBC_SHA", openssl_name: Some("DH-RSA-DES-CBC3-SHA"), kx: KeyExchange::Dh, auth: Authentication::Rsa, cipher: Cipher::TripleDes, key_bits: 168, mode: CipherMode::Cbc, mac: Mac::Sha1, aead: false, forward_secrecy: false, export: false, min_version: ProtocolVersion::SSL3, status: RegistryStatus::Iana, reference: "rfc5246" },
    SuiteInfo { suite: CipherSuite(0x0011), iana_name: "TLS_DHE_DSS_EXPORT_WITH_DES40_CBC_SHA", openssl_name: Some("EXP-EDH-DSS-DES-CBC-SHA"), kx: KeyExchange::Dhe, auth: Authentication::Dss, cipher: Cipher::Des, key_bits: 40, mode: CipherMode::Cbc, mac: Mac::Sha1, aead: false, forward_secrecy: true, export: true, min_version: ProtocolVersion::SSL3, status: RegistryStatus::Iana, reference: "rfc4346" },
    SuiteInfo { suite: CipherSuite(0x0012), iana_name: "TLS_DHE_DSS_WITH_DES_CBC_SHA", openssl_name: Some("EDH-DSS-DES-CBC-SHA"), kx: KeyExchange::Dhe, auth: Authentication::Dss, cipher: Cipher::Des, key_bits: 56, mode: CipherMode::Cbc, mac: Mac::Sha1, aead: false, forward_secrecy: true, export: false, min_version: ProtocolVersion::SSL3, status: RegistryStatus::Iana, reference: "rfc8996" },
    SuiteInfo { suite: CipherSuite(0x0013), iana_name: "TLS_DHE_DSS_WITH_3DES_EDE_CBC_SHA", openssl_name: Some("DHE-DSS-DES-CBC3-SHA"), kx: KeyExchange::Dhe, auth: Authentication::Dss, cipher: Cipher::TripleDes, key_bits: 168, mode: CipherMode::Cbc, mac: Mac::Sha1, aead: false, forward_secrecy: true, export: false, min_version: ProtocolVersion::SSL3, status: RegistryStatus::Iana, reference: "rfc5246" },
    SuiteInfo { suite: CipherSuite(0x0014), iana_name: "TLS_DHE_RSA_EXPORT_WITH_DES40_CBC_SHA", openssl_name: Some("EXP-EDH-RSA-DES-CBC-SHA"), kx: KeyExchange::Dhe, auth: Authentication::Rsa, cipher: Cipher::Des, key_bits: 40, mode: CipherMode::Cbc, mac: Mac::Sha1, aead: false, forward_secrecy: true, export: true, min_version: ProtocolVersion::SSL3, status: RegistryStatus::Iana, reference: "rfc4346" },
    SuiteInfo { suite: CipherSuite(0x0015), iana_name: "TLS_DHE_RSA_WITH_DES_CBC_SHA", openssl_name: Some("EDH-RSA-DES-CBC-SHA"), kx: KeyExchange::Dhe, auth: Authentication::Rsa, cipher: Cipher::Des, key_bits: 56, mode: CipherMode::Cbc, mac: Mac::Sha1, aead: false, forward_secrecy: true, export: false, min_version: ProtocolVersion::SSL3, status: RegistryStatus::Iana, reference: "rfc8996" },
    SuiteInfo { suite: CipherSuite(0x0016), iana_name: "TLS_DHE_RSA_WITH_3DES_EDE_CBC_SHA", openssl_name: Some("DHE-RSA-DES-CBC3-SHA"), kx: KeyExchange::Dhe, auth: Authentication::Rsa, cipher: Cipher::TripleDes, key_bits: 168, mode: CipherMode::Cbc, mac: Mac::Sha1, aead: false, forward_secrecy: true, export: false, min_version: ProtocolVersion::SSL3, status: RegistryStatus::Iana, reference: "rfc5246" },
    SuiteInfo { suite: CipherSuite(0x0017), iana_name: "TLS_DH_anon_EXPORT_WITH_RC4_40_MD5", openssl_name: Some("EXP-ADH-RC4-MD5"), kx: KeyExchange::Dh, auth: Authentication::Anon, cipher: Cipher::Rc4, key_bits: 40, mode: CipherMode::Stream, mac: Mac::Md5, aead: false, forward_secrecy: false, export: true, min_version: ProtocolVersion::SSL3, status: RegistryStatus::Iana, reference: "rfc4346,rfc6347" },
    SuiteInfo { suite: CipherSuite(0x0018), iana_name: "TLS_DH_anon_WITH_RC4_128_MD5", openssl_name: Some("ADH-RC4-MD5"), kx: KeyExchange::Dh, auth: Authentication::Anon, cipher: Cipher::Rc4, key_bits: 128, mode: CipherMode::Stream, mac: Mac::Md5, aead: false, forward_secrecy: false, export: false, min_version: ProtocolVersion::SSL3, status: RegistryStatus::Iana, reference: "rfc5246,rfc6347" },
    SuiteInfo { suite: CipherSuite(0x0019), iana_name: "TLS_DH_anon_EXPORT_WITH_DES40_CBC_SHA", openssl_name: Some("EXP-ADH-DES-CBC-SHA"), kx: KeyExchange::Dh, auth: Authentication::Anon, cipher: Cipher::Des, key_bits: 40, mode: CipherMode::Cbc, mac: Mac::Sha1, aead: false, forward_secrecy: false, export: true, min_version: ProtocolVersion::SSL3, status: RegistryStatus::Iana, reference: "rfc4346" },
    SuiteInfo { suite: CipherSuite(0x001A), iana_name: "TLS_DH_anon_WITH_DES_CBC_SHA", openssl_name: Some("ADH-DES-CBC-SHA"), kx: KeyExchange::Dh, auth: Authentication::Anon, cipher: Cipher::Des, key_bits: 56, mode: CipherMode::Cbc, mac: Mac::Sha1, aead: false, forward_secrecy: false, export: false, min_version: ProtocolVersion::SSL3, status: RegistryStatus::Iana, reference: "rfc8996" },
    SuiteInfo { suite: CipherSuite(0x001B), iana_name: "TLS_DH_anon_WITH_3DES_EDE_CBC_SHA", openssl_name: Some("ADH-DES-CBC3-SHA"), kx: KeyExchange::Dh, auth: Authentication::Anon, cipher: Cipher::TripleDes, key_bits: 168, mode: CipherMode::Cbc, mac: Mac::Sha1, aead: false, forward_secrecy: false, export: false, min_version: ProtocolVersion::SSL3, status: RegistryStatus::Iana, reference: "rfc5246" },
    SuiteInfo { suite: CipherSuite(0x001E), iana_name: "TLS_KRB5_WITH_DES_CBC_SHA", openssl_name: None, kx: KeyExchange::Krb5, auth: Authentication::Krb5, cipher: Cipher::Des, key_bits: 56, mode: CipherMode::Cbc, mac: Mac::Sha1, aead: false, forward_secrecy: false, export: false, min_version: ProtocolVersion::TLS1_0, status: RegistryStatus::Iana, reference: "rfc2712" },
    SuiteInfo { suite: CipherSuite(0x001F), iana_name: "TLS_KRB5_WITH_3DES_EDE_CBC_SHA", openssl_name: None, kx: KeyExchange::Krb5, auth: Authentication::Krb5, cipher: Cipher::TripleDes, key_bits: 168, mode: CipherMode::Cbc, mac: Mac::Sha1, aead: false, forward_secrecy: false, export: false, min_version: ProtocolVersion::TLS1_0, status: RegistryStatus::Iana, reference: "rfc2712" },
    SuiteInfo { suite: CipherSuite(0x0020), iana_name: "TLS_KRB5_WITH_RC4_128_SHA", openssl_name: None, kx: KeyExchange::Krb5, auth: Authentication::Krb5, cipher: Cipher::Rc4, key_bits: 128, mode: CipherMode::Stream, mac: Mac::Sha1, aead: false, forward_secrecy: false, export: false, min_version: ProtocolVersion::TLS1_0, status: RegistryStatus::Iana, reference: "rfc2712,rfc6347" },
    SuiteInfo { suite: CipherSuite(0x0021), iana_name: "TLS_KRB5_WITH_IDEA_CBC_SHA", openssl_name: None, kx: KeyExchange::Krb5, auth: Authentication::Krb5, cipher: Cipher::Idea, key_bits: 128, mode: CipherMode::Cbc, mac: Mac::Sha1, aead: false, forward_secrecy: false, export: false, min_version: ProtocolVersion::TLS1_0, status: RegistryStatus::Iana, reference: "rfc2712" },
    SuiteInfo { suite: CipherSuite(0x0022), iana_name: "TLS_KRB5_WITH_DES_CBC_MD5", openssl_name: None, kx: KeyExchange::Krb5, auth: Authentication::Krb5, cipher: Cipher::Des, key_bits: 56, mode: CipherMode::Cbc, mac: Mac::Md5, aead: false, forward_secrecy: false, export: false, min_version: ProtocolVersion::TLS1_0, status: RegistryStatus::Iana, reference: "rfc2712" },
    SuiteInfo { suite: CipherSuite(0x0023), iana_name: "TLS_KRB5_WITH_3DES_EDE_CBC_MD5", openssl_name: None, kx: KeyExchange::Krb5, auth: Authentication::Krb5, cipher: Cipher::TripleDes, key_bits: 168, mode: CipherMode::Cbc, mac: Mac::Md5, aead: false, forward_secrecy: false, export: false, min_version: ProtocolVersion::TLS1_0, status: RegistryStatus::Iana, reference: "rfc2712" },
    SuiteInfo { suite: CipherSuite(0x0024), iana_name: "TLS_KRB5_WITH_RC4_128_MD5", openssl_name: None, kx: KeyExchange::Krb5, auth: Authentication::Krb5, cipher: Cipher::Rc4, key_bits: 128, mode: CipherMode::Stream, mac: Mac::Md5, aead: false, forward_secrecy: false, export: false, min_version: ProtocolVersion::TLS1_0, status: RegistryStatus::Iana, reference: "rfc2712,rfc6347" },
    SuiteInfo { suite: CipherSuite(0x0025), iana_name: "TLS_KRB5_WITH_IDEA_CBC_MD5", openssl_name: None, kx: KeyExchange::Krb5, auth: Authentication::Krb5, cipher: Cipher::Idea, key_bits: 128, mode: CipherMode::Cbc, mac: Mac::Md5, aead: false, forward_secrecy: false, export: false, min_version: ProtocolVersion::TLS1_0, status: RegistryStatus::Iana, reference: "rfc2712" },
    SuiteInfo { suite: CipherSuite(0x0026), iana_name: "TLS_KRB5_EXPORT_WITH_DES_CBC_40_SHA", openssl_name: None, kx: KeyExchange::Krb5, auth: Authentication::Krb5, cipher: Cipher::Des, key_bits: 40, mode: CipherMode::Cbc, mac: Mac::Sha1, aead: false, forward_secrecy: false, export: true, min_version: ProtocolVersion::TLS1_0, status: RegistryStatus::Iana, reference: "rfc2712" },
    SuiteInfo { suite: CipherSuite(0x0027), iana_name: "TLS_KRB5_EXPORT_WITH_RC2_CBC_40_SHA", openssl_name: None, kx: KeyExchange::Krb5, auth: Authentication::Krb5, cipher: Cipher::Rc2, key_bits: 40, mode: CipherMode::Cbc, mac: Mac::Sha1, aead: false, forward_secrecy: false, export: true, min_version: ProtocolVersion::TLS1_0, status: RegistryStatus::Iana, reference: "rfc2712" },
    SuiteInfo { suite: CipherSuite(0x0028), iana_name: "TLS_KRB5_EXPORT_WITH_RC4_40_SHA", openssl_name: None, kx: KeyExchange::Krb5, auth: Authentication::Krb5, cipher: Cipher::Rc4, key_bits: 40, mode: CipherMode::Stream, mac: Mac::Sha1, aead: false, forward_secrecy: false, export: true, min_version: ProtocolVersion::TLS1_0, status: RegistryStatus::Iana, reference: "rfc2712,rfc6347" },
    SuiteInfo { suite: CipherSuite(0x0029), iana_name: "TLS_KRB5_EXPORT_WITH_DES_CBC_40_MD5", openssl_name: None, kx: KeyExchange::Krb5, auth: Authentication::Krb5, cipher: Cipher::Des, key_bits: 40, mode: CipherMode::Cbc, mac: Mac::Md5, aead: false, forward_secrecy: false, export: true, min_version: ProtocolVersion::TLS1_0, status: RegistryStatus::Iana, reference: "rfc2712" },
    SuiteInfo { suite: CipherSuite(0x002A), iana_name: "TLS_KRB5_EXPORT_WITH_RC2_CBC_40_MD5", openssl_name: None, kx: KeyExchange::Krb5, auth: Authentication::Krb5, cipher: Cipher::Rc2, key_bits: 40, mode: CipherMode::Cbc, mac: Mac::Md5, aead: false, forward_secrecy: false, export: true, min_version: ProtocolVersion::TLS1_0, status: RegistryStatus::Iana, reference: "rfc2712" },
    SuiteInfo { suite: CipherSuite(0x002B), iana_name: "TLS_KRB5_EXPORT_WITH_RC4_40_MD5", openssl_name: None, kx: KeyExchange::Krb5, auth: Authentication::Krb5, cipher: Cipher::Rc4, key_bits: 40, mode: CipherMode::Stream, mac: Mac::Md5, aead: false, forward_secrecy: false, export: true, min_version: ProtocolVersion::TLS1_0, status: RegistryStatus::Iana, reference: "rfc2712,rfc6347" },
    SuiteInfo { suite: CipherSuite(0x002C), iana_name: "TLS_PSK_WITH_NULL_SHA", openssl_name: Some("PSK-NULL-SHA"), kx: KeyExchange::Psk, auth: Authentication::Psk, cipher: Cipher::Null, key_bits: 0, mode: CipherMode::Null, mac: Mac::Sha1, aead: false, forward_secrecy: false, export: false, min_version: ProtocolVersion::SSL3, status: RegistryStatus::Iana, reference: "rfc4785" },
    SuiteInfo { suite: CipherSuite(0x002D), iana_name: "TLS_DHE_PSK_WITH_NULL_SHA", openssl_name: Some("DHE-PSK-NULL-SHA"), kx: KeyExchange::Dhe, auth: Authentication::Psk, cipher: Cipher::Null, key_bits: 0, mode: CipherMode::Null, mac: Mac::Sha1, aead: false, forward_secrecy: true, export: false, min_version: ProtocolVersion::SSL3, status: RegistryStatus::Iana, reference: "rfc4785" },
    SuiteInfo { suite: CipherSuite(0x002E), iana_name: "TLS_RSA_PSK_WITH_NULL_SHA", openssl_name: Some("RSA-PSK-NULL-SHA"), kx: KeyExchange::Rsa, auth: Authentication::Psk, cipher: Cipher::Null, key_bits: 0, mode: CipherMode::Null, mac: Mac::Sha1, aead: false, forward_secrecy: false, export: false, min_version: ProtocolVersion::SSL3, status: RegistryStatus::Iana, reference: "rfc4785" },
    SuiteInfo { suite: CipherSuite(0x002F), iana_name: "TLS_RSA_WITH_AES_128_CBC_SHA", openssl_name: Some("AES128-SHA"), kx: KeyExchange::Rsa, auth: Authentication::Rsa, cipher: Cipher::Aes, key_bits: 128, mode: CipherMode::Cbc, mac: Mac::Sha1, aead: false, forward_secrecy: false, export: false, min_version: ProtocolVersion::SSL3, status: RegistryStatus::Iana, reference: "rfc5246" },
    SuiteInfo { suite: CipherSuite(0x0030), iana_name: "TLS_DH_DSS_WITH_AES_128_CBC_SHA", openssl_name: Some("DH-DSS-AES128-SHA"), kx: KeyExchange::Dh, auth: Authentication::Dss, cipher: Cipher::Aes, key_bits: 128, mode: CipherMode::Cbc, mac: Mac::Sha1, aead: false, forward_secrecy: false, export: false, min_version: ProtocolVersion::TLS1_0, status: RegistryStatus::Iana, reference: "rfc5246" },
    SuiteInfo { suite: CipherSuite(0x0031), iana_name: "TLS_DH_RSA_WITH_AES_128_CBC_SHA", openssl_name: Some("DH-RSA-AES128-SHA"), kx: KeyExchange::Dh, auth: Authentication::Rsa, cipher: Cipher::Aes, key_bits: 128, mode: CipherMode::Cbc, mac: Mac::Sha1, aead: false, forward_secrecy: false, export: false, min_version: ProtocolVersion::TLS1_0, status: RegistryStatus::Iana, reference: "rfc5246" },
    SuiteInfo { suite: CipherSuite(0x0032), iana_name: "TLS_DHE_DSS_WITH_AES_128_CBC_SHA", openssl_name: Some("DHE-DSS-AES128-SHA"), kx: KeyExchange::Dhe, auth: Authentication::Dss, cipher: Cipher::Aes, key_bits: 128, mode: CipherMode::Cbc, mac: Mac::Sha1, aead: false, forward_secrecy: true, export: false, min_version: ProtocolVersion::SSL3, status: RegistryStatus::Iana, reference: "rfc5246" },
    SuiteInfo { suite: CipherSuite(0x0033), iana_name: "TLS_DHE_RSA_WITH_AES_128_CBC_SHA", openssl_name: Some("DHE-RSA-AES128-SHA"), kx: KeyExchange::Dhe, auth: Authentication::Rsa, cipher: Cipher::Aes, key_bits: 128, mode: CipherMode::Cbc, mac: Mac::Sha1, aead: false, forward_secrecy: true, export: false, min_version: ProtocolVersion::SSL3, status: RegistryStatus::Iana, reference: "rfc5246" },
    SuiteInfo { suite: CipherSuite(0x0034), iana_name: "TLS_DH_anon_WITH_AES_128_CBC_SHA", openssl_name: Some("ADH-AES128-SHA"), kx: KeyExchange::Dh, auth: Authentication::Anon, cipher: Cipher::Aes, key_bits: 128, mode: CipherMode::Cbc, mac: Mac::Sha1, aead: false, forward_secrecy: false, export: false, min_version: ProtocolVersion::SSL3, status: RegistryStatus::Iana, reference: "rfc5246" },
    SuiteInfo { suite: CipherSuite(0x0035), iana_name: "TLS_RSA_WITH_AES_256_CBC_SHA", openssl_name: Some("AES256-SHA"), kx: KeyExchange::Rsa, auth: Authentication::Rsa, cipher: Cipher::Aes, key_bits: 256, mode: CipherMode::Cbc, mac: Mac::Sha1, aead: false, forward_secrecy: false, export: false, min_version: ProtocolVersion::SSL3, status: RegistryStatus::Iana, reference: "rfc5246" },
    SuiteInfo { suite: CipherSuite(0x0036), iana_name: "TLS_DH_DSS_WITH_AES_256_CBC_SHA", openssl_name: Some("DH-DSS-AES256-SHA"), kx: KeyExchange::Dh, auth: Authentication::Dss, cipher: Cipher::Aes, key_bits: 256, mode: CipherMode::Cbc, mac: Mac::Sha1, aead: false, forward_secrecy: false, export: false, min_version: ProtocolVersion::TLS1_0, status: RegistryStatus::Iana, reference: "rfc5246" },
    SuiteInfo { suite: CipherSuite(0x0037), iana_name: "TLS_DH_RSA_WITH_AES_256_CBC_SHA", openssl_name: Some("DH-RSA-AES256-SHA"), kx: KeyExchange::Dh, auth: Authentication::Rsa, cipher: Cipher::Aes, key_bits: 256, mode: CipherMode::Cbc, mac: Mac::Sha1, aead: false, forward_secrecy: false, export: false, min_version: ProtocolVersion::TLS1_0, status: RegistryStatus::Iana, reference: "rfc5246" },
    SuiteInfo { suite: CipherSuite(0x0038), iana_name: "TLS_DHE_DSS_WITH_AES_256_CBC_SHA", openssl_name: Some("DHE-DSS-AES256-SHA"), kx: KeyExchange::Dhe, auth: Authentication::Dss, cipher: Cipher::Aes, key_bits: 256, mode: CipherMode::Cbc, mac: Mac::Sha1, aead: false, forward_secrecy: true, export: false, min_version: ProtocolVersion::SSL3, status: RegistryStatus::Iana, reference: "rfc5246" },
    SuiteInfo { suite: CipherSuite(0x0039), iana_name: "TLS_DHE_RSA_WITH_AES_256_CBC_SHA", openssl_name: Some("DHE-RSA-AES256-SHA"), kx: KeyExchange::Dhe, auth: Authentication::Rsa, cipher: Cipher::Aes, key_bits: 256, mode: CipherMode::Cbc, mac: Mac::Sha1, aead: false, forward_secrecy: true, export: false, min_version: ProtocolVersion::SSL3, status: RegistryStatus::Iana, reference: "rfc5246" },
    SuiteInfo { suite: CipherSuite(0x003A), iana_name: "TLS_DH_anon_WITH_AES_256_CBC_SHA", openssl_name: Some("ADH-AES256-SHA"), kx: KeyExchange::Dh, auth: Authentication::Anon, cipher: Cipher::Aes, key_bits: 256, mode: CipherMode::Cbc, mac: Mac::Sha1, aead: false, forward_secrecy: false, export: false, min_version: ProtocolVersion::SSL3, status: RegistryStatus::Iana, reference: "rfc5246" },
    SuiteInfo { suite: CipherSuite(0x003B), iana_name: "TLS_RSA_WITH_NULL_SHA256", openssl_name: Some("NULL-SHA256"), kx: KeyExchange::Rsa, auth: Authentication::Rsa, cipher: Cipher::Null, key_bits: 0, mode: CipherMode::Null, mac: Mac::Sha256, aead: false, forward_secrecy: false, export: false, min_version: ProtocolVersion::TLS1_2, status: RegistryStatus::Iana, reference: "rfc5246" },
    SuiteInfo { suite: CipherSuite(0x003C), iana_name: "TLS_RSA_WITH_AES_128_CBC_SHA256", openssl_name: Some("AES128-SHA256"), kx: KeyExchange::Rsa, auth: Authentication::Rsa, cipher: Cipher::Aes, key_bits: 128, mode: CipherMode::Cbc, mac: Mac::Sha256, aead: false, forward_secrecy: false, export: false, min_version: ProtocolVersion::TLS1_2, status: RegistryStatus::Iana, reference: "rfc5246" },
    SuiteInfo { suite: CipherSuite(0x003D), iana_name: "TLS_RSA_WITH_AES_256_CBC_SHA256", openssl_name: Some("AES256-SHA256"), kx: KeyExchange::Rsa, auth: Authentication::Rsa, cipher: Cipher::Aes, key_bits: 256, mode: CipherMode::Cbc, mac: Mac::Sha256, aead: false, forward_secrecy: false, export: false, min_version: ProtocolVersion::TLS1_2, status: RegistryStatus::Iana, reference: "rfc5246" },
    SuiteInfo { suite: CipherSuite(0x003E), iana_name: "TLS_DH_DSS_WITH_AES_128_CBC_SHA256", openssl_name: Some("DH-DSS-AES128-SHA256"), kx: KeyExchange::Dh, auth: Authentication::Dss, cipher: Cipher::Aes, key_bits: 128, mode: CipherMode::Cbc, mac: Mac::Sha256, aead: false, forward_secrecy: false, export: false, min_version: ProtocolVersion::TLS1_2, status: RegistryStatus::Iana, reference: "rfc5246" },
    SuiteInfo { suite: CipherSuite(0x003F), iana_name: "TLS_DH_RSA_WITH_AES_128_CBC_SHA256", openssl_name: Some("DH-RSA-AES128-SHA256"), kx: KeyExchange::Dh, auth: Authentication::Rsa, cipher: Cipher::Aes, key_bits: 128, mode: CipherMode::Cbc, mac: Mac::Sha256, aead: false, forward_secrecy: false, export: false, min_version: ProtocolVersion::TLS1_2, status: RegistryStatus::Iana, reference: "rfc5246" },
    SuiteInfo { suite: CipherSuite(0x0040), iana_name: "TLS_DHE_DSS_WITH_AES_128_CBC_SHA256", openssl_name: Some("DHE-DSS-AES128-SHA256"), kx: KeyExchange::Dhe, auth: Authentication::Dss, cipher: Cipher::Aes, key_bits: 128, mode: CipherMode::Cbc, mac: Mac::Sha256, aead: false, forward_secrecy: true, export: false, min_version: ProtocolVersion::TLS1_2, status: RegistryStatus::Iana, reference: "rfc5246" },
    SuiteInfo { suite: CipherSuite(0x0041), iana_name: "TLS_RSA_WITH_CAMELLIA_128_CBC_SHA", openssl_name: Some("CAMELLIA128-SHA"), kx: KeyExchange::Rsa, auth: Authentication::Rsa, cipher: Cipher::Camellia, key_bits: 128, mode: CipherMode::Cbc, mac: Mac::Sha1, aead: false, forward_secrecy: false, export: false, min_version: ProtocolVersion::SSL3, status: RegistryStatus::Iana, reference: "rfc5932" },
    SuiteInfo { suite: CipherSuite(0x0042), iana_name: "TLS_DH_DSS_WITH_CAMELLIA_128_CBC_SHA", openssl_name: Some("DH-DSS-CAMELLIA128-SHA"), kx: KeyExchange::Dh, auth: Authentication::Dss, cipher: Cipher::Camellia, key_bits: 128, mode: CipherMode::Cbc, mac: Mac::Sha1, aead: false, forward_secrecy: false, export: false, min_version: ProtocolVersion::TLS1_0, status: RegistryStatus::Iana, reference: "rfc5932" },
    SuiteInfo { suite: CipherSuite(0x0043), iana_name: "TLS_DH_RSA_WITH_CAMELLIA_128_CBC_SHA", openssl_name: Some("DH-RSA-CAMELLIA128-SHA"), kx: KeyExchange::Dh, auth: Authentication::Rsa, cipher: Cipher::Camellia, key_bits: 128, mode: CipherMode::Cbc, mac: Mac::Sha1, aead: false, forward_secrecy: false, export: false, min_version: ProtocolVersion::TLS1_0, status: RegistryStatus::Iana, reference: "rfc5932" },
    SuiteInfo { suite: CipherSuite(0x0044), iana_name: "TLS_DHE_DSS_WITH_CAMELLIA_128_CBC_SHA", openssl_name: Some("DHE-DSS-CAMELLIA128-SHA"), kx: KeyExchange::Dhe, auth: Authentication::Dss, cipher: Cipher::Camellia, key_bits: 128, mode: CipherMode::Cbc, mac: Mac::Sha1, aead: false, forward_secrecy: true, export: false, min_version: ProtocolVersion::SSL3, status: RegistryStatus::Iana, reference: "rfc5932" },
    SuiteInfo { suite: CipherSuite(0x0045), iana_name: "TLS_DHE_RSA_WITH_CAMELLIA_128_CBC_SHA", openssl_name: Some("DHE-RSA-CAMELLIA128-SHA"), kx: KeyExchange::Dhe, auth: Authentication::Rsa, cipher: Cipher::Camellia, key_bits: 128, mode: CipherMode::Cbc, mac: Mac::Sha1, aead: false, forward_secrecy: true, export: false, min_version: ProtocolVersion::SSL3, status: RegistryStatus::Iana, reference: "rfc5932" },
    SuiteInfo { suite: CipherSuite(0x0046), iana_name: "TLS_DH_anon_WITH_CAMELLIA_128_CBC_SHA", openssl_name: Some("ADH-CAMELLIA128-SHA"), kx: KeyExchange::Dh, auth: Authentication::Anon, cipher: Cipher::Camellia, key_bits: 128, mode: CipherMode::Cbc, mac: Mac::Sha1, aead: false, forward_secrecy: false, export: false, min_version: ProtocolVersion::SSL3, status: RegistryStatus::Iana, reference: "rfc5932" },
    SuiteInfo { suite: CipherSuite(0x0060), iana_name: "TLS_RSA_EXPORT1024_WITH_RC4_56_MD5", openssl_name: Some("EXP1024-RC4-MD5"), kx: KeyExchange::Rsa, auth: Authentication::Rsa, cipher: Cipher::Rc4, key_bits: 56, mode: CipherMode::Stream, mac: Mac::Md5, aead: false, forward_secrecy: false, export: true, min_version: ProtocolVersion::TLS1_0, status: RegistryStatus::Historic, reference: "unknown" },
    SuiteInfo { suite: CipherSuite(0x0061), iana_name: "TLS_RSA_EXPORT1024_WITH_RC2_CBC_56_MD5", openssl_name: Some("EXP1024-RC2-CBC-MD5"), kx: KeyExchange::Rsa, auth: Authentication::Rsa, cipher: Cipher::Rc2, key_bits: 56, mode: CipherMode::Cbc, mac: Mac::Md5, aead: false, forward_secrecy: false, export: true, min_version: ProtocolVersion::TLS1_0, status: RegistryStatus::Historic, reference: "unknown" },
    SuiteInfo { suite: CipherSuite(0x0062), iana_name: "TLS_RSA_EXPORT1024_WITH_DES_CBC_SHA", openssl_name: Some("EXP1024-DES-CBC-SHA"), kx: KeyExchange::Rsa, auth: Authentication::Rsa, cipher: Cipher::Des, key_bits: 56, mode: CipherMode::Cbc, mac: Mac::Sha1, aead: false, forward_secrecy: false, export: true, min_version: ProtocolVersion::TLS1_0, status: RegistryStatus::Historic, reference: "draft-ietf-tls-56-bit-ciphersuites-01" },
    SuiteInfo { suite: CipherSuite(0x0063), iana_name: "TLS_DHE_DSS_EXPORT1024_WITH_DES_CBC_SHA", openssl_name: Some("EXP1024-DHE-DSS-DES-CBC-SHA"), kx: KeyExchange::Dhe, auth: Authentication::Dss, cipher: Cipher::Des, key_bits: 56, mode: CipherMode::Cbc, mac: Mac::Sha1, aead: false, forward_secrecy: true, export: true, min_version: ProtocolVersion::TLS1_0, status: RegistryStatus::Historic, reference: "draft-ietf-tls-56-bit-ciphersuites-01" },
    SuiteInfo { suite: CipherSuite(0x0064), iana_name: "TLS_RSA_EXPORT1024_WITH_RC4_56_SHA", openssl_name: Some("EXP1024-RC4-SHA"), kx: KeyExchange::Rsa, auth: Authentication::Rsa, cipher: Cipher::Rc4, key_bits: 56, mode: CipherMode::Stream, mac: Mac::Sha1, aead: false, forward_secrecy: false, export: true, min_version: ProtocolVersion::TLS1_0, status: RegistryStatus::Historic, reference: "draft-ietf-tls-56-bit-ciphersuites-01" },
    SuiteInfo { suite: CipherSuite(0x0065), iana_name: "TLS_DHE_DSS_EXPORT1024_WITH_RC4_56_SHA", openssl_name: Some("EXP1024-DHE-DSS-RC4-SHA"), kx: KeyExchange::Dhe, auth: Authentication::Dss, cipher: Cipher::Rc4, key_bits: 56, mode: CipherMode::Stream, mac: Mac::Sha1, aead: false, forward_secrecy: true, export: true, min_version: ProtocolVersion::TLS1_0, status: RegistryStatus::Historic, reference: "draft-ietf-tls-56-bit-ciphersuites-01" },
    SuiteInfo { suite: CipherSuite(0x0066), iana_name: "TLS_DHE_DSS_WITH_RC4_128_SHA", openssl_name: Some("DHE-DSS-RC4-SHA"), kx: KeyExchange::Dhe, auth: Authentication::Dss, cipher: Cipher::Rc4, key_bits: 128, mode: CipherMode::Stream, mac: Mac::Sha1, aead: false, forward_secrecy: true, export: false, min_version: ProtocolVersion::TLS1_0, status: RegistryStatus::Historic, reference: "draft-ietf-tls-56-bit-ciphersuites-01" },
    SuiteInfo { suite: CipherSuite(0x0067), iana_name: "TLS_DHE_RSA_WITH_AES_128_CBC_SHA256", openssl_name: Some("DHE-RSA-AES128-SHA256"), kx: KeyExchange::Dhe, auth: Authentication::Rsa, cipher: Cipher::Aes, key_bits: 128, mode: CipherMode::Cbc, mac: Mac::Sha256, aead: false, forward_secrecy: true, export: false, min_version: ProtocolVersion::TLS1_2, status: RegistryStatus::Iana, reference: "rfc5246" },
    SuiteInfo { suite: CipherSuite(0x0068), iana_name: "TLS_DH_DSS_WITH_AES_256_CBC_SHA256", openssl_name: Some("DH-DSS-AES256-SHA256"), kx: KeyExchange::Dh, auth: Authentication::Dss, cipher: Cipher::Aes, key_bits: 256, mode: CipherMode::Cbc, mac: Mac::Sha256, aead: false, forward_secrecy: false, export: false, min_version: ProtocolVersion::TLS1_2, status: RegistryStatus::Iana, reference: "rfc5246" },
    SuiteInfo { suite: CipherSuite(0x0069), iana_name: "TLS_DH_RSA_WITH_AES_256_CBC_SHA256", openssl_name: Some("DH-RSA-AES256-SHA256"), kx: KeyExchange::Dh, auth: Authentication::Rsa, cipher: Cipher::Aes, key_bits: 256, mode: CipherMode::Cbc, mac: Mac::Sha256, aead: false, forward_secrecy: false, export: false, min_version: ProtocolVersion::TLS1_2, status: RegistryStatus::Iana, reference: "rfc5246" },
    SuiteInfo { suite: CipherSuite(0x006A), iana_name: "TLS_DHE_DSS_WITH_AES_256_CBC_SHA256", openssl_name: Some("DHE-DSS-AES256-SHA256"), kx: KeyExchange::Dhe, auth: Authentication::Dss, cipher: Cipher::Aes, key_bits: 256, mode: CipherMode::Cbc, mac: Mac::Sha256, aead: false, forward_secrecy: true, export: false, min_version: ProtocolVersion::TLS1_2, status: RegistryStatus::Iana, reference: "rfc5246" },
    SuiteInfo { suite: CipherSuite(0x006B), iana_name: "TLS_DHE_RSA_WITH_AES_256_CBC_SHA256", openssl_name: Some("DHE-RSA-AES256-SHA256"), kx: KeyExchange::Dhe, auth: Authentication::Rsa, cipher: Cipher::Aes, key_bits: 256, mode: CipherMode::Cbc, mac: Mac::Sha256, aead: false, forward_secrecy: true, export: false, min_version: ProtocolVersion::TLS1_2, status: RegistryStatus::Iana, reference: "rfc5246" },
    SuiteInfo { suite: CipherSuite(0x006C), iana_name: "TLS_DH_anon_WITH_AES_128_CBC_SHA256", openssl_name: Some("ADH-AES128-SHA256"), kx: KeyExchange::Dh, auth: Authentication::Anon, cipher: Cipher::Aes, key_bits: 128, mode: CipherMode::Cbc, mac: Mac::Sha256, aead: false, forward_secrecy: false, export: false, min_version: ProtocolVersion::TLS1_2, status: RegistryStatus::Iana, reference: "rfc5246" },
    SuiteInfo { suite: CipherSuite(0x006D), iana_name: "TLS_DH_anon_WITH_AES_256_CBC_SHA256", openssl_name: Some("ADH-AES256-SHA256"), kx: KeyExchange::Dh, auth: Authentication::Anon, cipher: Cipher::Aes, key_bits: 256, mode: CipherMode::Cbc, mac: Mac::Sha256, aead: false, forward_secrecy: false, export: false, min_version: ProtocolVersion::TLS1_2, status: RegistryStatus::Iana, reference: "rfc5246" },
    SuiteInfo { suite: CipherSuite(0x0084), iana_name: "TLS_RSA_WITH_CAMELLIA_256_CBC_SHA", openssl_name: Some("CAMELLIA256-SHA"), kx: KeyExchange::Rsa, auth: Authentication::Rsa, cipher: Cipher::Camellia, key_bits: 256, mode: CipherMode::Cbc, mac: Mac::Sha1, aead: false, forward_secrecy: false, export: false, min_version: ProtocolVersion::SSL3, status: RegistryStatus::Iana, reference: "rfc5932" },
    SuiteInfo { suite: CipherSuite(0x0085), iana_name: "TLS_DH_DSS_WITH_CAMELLIA_256_CBC_SHA", openssl_name: Some("DH-DSS-CAMELLIA256-SHA"), kx: KeyExchange::Dh, auth: Authentication::Dss, cipher: Cipher::Camellia, key_bits: 256, mode: CipherMode::Cbc, mac: Mac::Sha1, aead: false, forward_secrecy: false, export: false, min_version: ProtocolVersion::TLS1_0, status: RegistryStatus::Iana, reference: "rfc5932" },
    SuiteInfo { suite: CipherSuite(0x0086), iana_name: "TLS_DH_RSA_WITH_CAMELLIA_256_CBC_SHA", openssl_name: Some("DH-RSA-CAMELLIA256-SHA"), kx: KeyExchange::Dh, auth: Authentication::Rsa, cipher: Cipher::Camellia, key_bits: 256, mode: CipherMode::Cbc, mac: Mac::Sha1, aead: false, forward_secrecy: false, export: false, min_version: ProtocolVersion::TLS1_0, status: RegistryStatus::Iana, reference: "rfc5932" },
    SuiteInfo { suite: CipherSuite(0x0087), iana_name: "TLS_DHE_DSS_WITH_CAMELLIA_256_CBC_SHA", openssl_name: Some("DHE-DSS-CAMELLIA256-SHA"), kx: KeyExchange::Dhe, auth: Authentication::Dss, cipher: Cipher::Camellia, key_bits: 256, mode: CipherMode::Cbc, mac: Mac::Sha1, aead: false, forward_secrecy: true, export: false, min_version: ProtocolVersion::SSL3, status: RegistryStatus::Iana, reference: "rfc5932" },
    SuiteInfo { suite: CipherSuite(0x0088), iana_name: "TLS_DHE_RSA_WITH_CAMELLIA_256_CBC_SHA", openssl_name: Some("DHE-RSA-CAMELLIA256-SHA"), kx: KeyExchange::Dhe, auth: Authentication::Rsa, cipher: Cipher::Camellia, key_bits: 256, mode: CipherMode::Cbc, mac: Mac::Sha1, aead: false, forward_secrecy: true, export: false, min_version: ProtocolVersion::SSL3, status: RegistryStatus::Iana, reference: "rfc5932" },
    SuiteInfo { suite: CipherSuite(0x0089), iana_name: "TLS_DH_anon_WITH_CAMELLIA_256_CBC_SHA", openssl_name: Some("ADH-CAMELLIA256-SHA"), kx: KeyExchange::Dh, auth: Authentication::Anon, cipher: Cipher::Camellia, key_bits: 256, mode: CipherMode::Cbc, mac: Mac::Sha1, aead: false, forward_secrecy: false, export: false, min_version: ProtocolVersion::SSL3, status: RegistryStatus::Iana, reference: "rfc5932" },
    SuiteInfo { suite: CipherSuite(0x008A), iana_name: "TLS_PSK_WITH_RC4_128_SHA", openssl_name: None, kx: KeyExchange::Psk, auth: Authentication::Psk, cipher: Cipher::Rc4, key_bits: 128, mode: CipherMode::Stream, mac: Mac::Sha1, aead: false, forward_secrecy: false, export: false, min_version: ProtocolVersion::TLS1_0, status: RegistryStatus::Iana, reference: "rfc4279,rfc6347" },
    SuiteInfo { suite: CipherSuite(0x008B), iana_name: "TLS_PSK_WITH_3DES_EDE_CBC_SHA", openssl_name: None, kx: KeyExchange::Psk, auth: Authentication::Psk, cipher: Cipher::TripleDes, key_bits: 168, mode: CipherMode::Cbc, mac: Mac::Sha1, aead: false, forward_secrecy: false, export: false, min_version: ProtocolVersion::TLS1_0, status: RegistryStatus::Iana, reference: "rfc4279" },
    SuiteInfo { suite: CipherSuite(0x008C), iana_name: "TLS_PSK_WITH_AES_128_CBC_SHA", openssl_name: Some("PSK-AES128-CBC-SHA"), kx: KeyExchange::Psk, auth: Authentication::Psk, cipher: Cipher::Aes, key_bits: 128, mode: CipherMode::Cbc, mac: Mac::Sha1, aead: false, forward_secrecy: false, export: false, min_version: ProtocolVersion::SSL3, status: RegistryStatus::Iana, reference: "rfc4279" },
    SuiteInfo { suite: CipherSuite(0x008D), iana_name: "TLS_PSK_WITH_AES_256_CBC_SHA", openssl_name: Some("PSK-AES256-CBC-SHA"), kx: KeyExchange::Psk, auth: Authentication::Psk, cipher: Cipher::Aes, key_bits: 256, mode: CipherMode::Cbc, mac: Mac::Sha1, aead: false, forward_secrecy: false, export: false, min_version: ProtocolVersion::SSL3, status: RegistryStatus::Iana, reference: "rfc4279" },
    SuiteInfo { suite: CipherSuite(0x008E), iana_name: "TLS_DHE_PSK_WITH_RC4_128_SHA", openssl_name: None, kx: KeyExchange::Dhe, auth: Authentication::Psk, cipher: Cipher::Rc4, key_bits: 128, mode: CipherMode::Stream, mac: Mac::Sha1, aead: false, forward_secrecy: true, export: false, min_version: ProtocolVersion::TLS1_0, status: RegistryStatus::Iana, reference: "rfc4279,rfc6347" },
    SuiteInfo { suite: CipherSuite(0x008F), iana_name: "TLS_DHE_PSK_WITH_3DES_EDE_CBC_SHA", openssl_name: None, kx: KeyExchange::Dhe, auth: Authentication::Psk, cipher: Cipher::TripleDes, key_bits: 168, mode: CipherMode::Cbc, mac: Mac::Sha1, aead: false, forward_secrecy: true, export: false, min_version: ProtocolVersion::TLS1_0, status: RegistryStatus::Iana, reference: "rfc4279" },
    SuiteInfo { suite: CipherSuite(0x0090), iana_name: "TLS_DHE_PSK_WITH_AES_128_CBC_SHA", openssl_name: Some("DHE-PSK-AES128-CBC-SHA"), kx: KeyExchange::Dhe, auth: Authentication::Psk, cipher: Cipher::Aes, key_bits: 128, mode: CipherMode::Cbc, mac: Mac::Sha1, aead: false, forward_secrecy: true, export: false, min_version: ProtocolVersion::SSL3, status: RegistryStatus::Iana, reference: "rfc4279" },
    SuiteInfo { suite: CipherSuite(0x0091), iana_name: "TLS_DHE_PSK_WITH_AES_256_CBC_SHA", openssl_name: Some("DHE-PSK-AES256-CBC-SHA"), kx: KeyExchange::Dhe, auth: Authentication::Psk, cipher: Cipher::Aes, key_bits: 256, mode: CipherMode::Cbc, mac: Mac::Sha1, aead: false, forward_secrecy: true, export: false, min_version: ProtocolVersion::SSL3, status: RegistryStatus::Iana, reference: "rfc4279" },
    SuiteInfo { suite: CipherSuite(0x0092), iana_name: "TLS_RSA_PSK_WITH_RC4_128_SHA", openssl_name: None, kx: KeyExchange::Rsa, auth: Authentication::Psk, cipher: Cipher::Rc4, key_bits: 128, mode: CipherMode::Stream, mac: Mac::Sha1, aead: false, forward_secrecy: false, export: false, min_version: ProtocolVersion::TLS1_0, status: RegistryStatus::Iana, reference: "rfc4279,rfc6347" },
    SuiteInfo { suite: CipherSuite(0x0093), iana_name: "TLS_RSA_PSK_WITH_3DES_EDE_CBC_SHA", openssl_name: None, kx: KeyExchange::Rsa, auth: Authentication::Psk, cipher: Cipher::TripleDes, key_bits: 168, mode: CipherMode::Cbc, mac: Mac::Sha1, aead: false, forward_secrecy: false, export: false, min_version: ProtocolVersion::TLS1_0, status: RegistryStatus::Iana, reference: "rfc4279" },
    SuiteInfo { suite: CipherSuite(0x0094), iana_name: "TLS_RSA_PSK_WITH_AES_128_CBC_SHA", openssl_name: Some("RSA-PSK-AES128-CBC-SHA"), kx: KeyExchange::Rsa, auth: Authentication::Psk, cipher: Cipher::Aes, key_bits: 128, mode: CipherMode::Cbc, mac: Mac::Sha1, aead: false, forward_secrecy: false, export: false, min_version: ProtocolVersion::SSL3, status: RegistryStatus::Iana, reference: "rfc4279" },
    SuiteInfo { suite: CipherSuite(0x0095), iana_name: "TLS_RSA_PSK_WITH_AES_256_CBC_SHA", openssl_name: Some("RSA-PSK-AES256-CBC-SHA"), kx: KeyExchange::Rsa, auth: Authentication::Psk, cipher: Cipher::Aes, key_bits: 256, mode: CipherMode::Cbc, mac: Mac::Sha1, aead: false, forward_secrecy: false, export: false, min_version: ProtocolVersion::SSL3, status: RegistryStatus::Iana, reference: "rfc4279" },
    SuiteInfo { suite: CipherSuite(0x0096), iana_name: "TLS_RSA_WITH_SEED_CBC_SHA", openssl_name: Some("SEED-SHA"), kx: KeyExchange::Rsa, auth: Authentication::Rsa, cipher: Cipher::Seed, key_bits: 128, mode: CipherMode::Cbc, mac: Mac::Sha1, aead: false, forward_secrecy: false, export: false, min_version: ProtocolVersion::TLS1_0, status: RegistryStatus::Iana, reference: "rfc4162" },
    SuiteInfo { suite: CipherSuite(0x0097), iana_name: "TLS_DH_DSS_WITH_SEED_CBC_SHA", openssl_name: Some("DH-DSS-SEED-SHA"), kx: KeyExchange::Dh, auth: Authentication::Dss, cipher: Cipher::Seed, key_bits: 128, mode: CipherMode::Cbc, mac: Mac::Sha1, aead: false, forward_secrecy: false, export: false, min_version: ProtocolVersion::TLS1_0, status: RegistryStatus::Iana, reference: "rfc4162" },
    SuiteInfo { suite: CipherSuite(0x0098), iana_name: "TLS_DH_RSA_WITH_SEED_CBC_SHA", openssl_name: Some("DH-RSA-SEED-SHA"), kx: KeyExchange::Dh, auth: Authentication::Rsa, cipher: Cipher::Seed, key_bits: 128, mode: CipherMode::Cbc, mac: Mac::Sha1, aead: false, forward_secrecy: false, export: false, min_version: ProtocolVersion::TLS1_0, status: RegistryStatus::Iana, reference: "rfc4162" },
    SuiteInfo { suite: CipherSuite(0x0099), iana_name: "TLS_DHE_DSS_WITH_SEED_CBC_SHA", openssl_name: Some("DHE-DSS-SEED-SHA"), kx: KeyExchange::Dhe, auth: Authentication::Dss, cipher: Cipher::Seed, key_bits: 128, mode: CipherMode::Cbc, mac: Mac::Sha1, aead: false, forward_secrecy: true, export: false, min_version: ProtocolVersion::TLS1_0, status: RegistryStatus::Iana, reference: "rfc4162" },
    SuiteInfo { suite: CipherSuite(0x009A), iana_name: "TLS_DHE_RSA_WITH_SEED_CBC_SHA", openssl_name: Some("DHE-RSA-SEED-SHA"), kx: KeyExchange::Dhe, auth: Authentication::Rsa, cipher: Cipher::Seed, key_bits: 128, mode: CipherMode::Cbc, mac: Mac::Sha1, aead: false, forward_secrecy: true, export: false, min_version: ProtocolVersion::TLS1_0, status: RegistryStatus::Iana, reference: "rfc4162" },
    SuiteInfo { suite: CipherSuite(0x009B), iana_name: "TLS_DH_anon_WITH_SEED_CBC_SHA", openssl_name: Some("ADH-SEED-SHA"), kx: KeyExchange::Dh, auth: Authentication::Anon, cipher: Cipher::Seed, key_bits: 128, mode: CipherMode::Cbc, mac: Mac::Sha1, aead: false, forward_secrecy: false, export: false, min_version: ProtocolVersion::TLS1_0, status: RegistryStatus::Iana, reference: "rfc4162" },
    SuiteInfo { suite: CipherSuite(0x009C), iana_name: "TLS_RSA_WITH_AES_128_GCM_SHA256", openssl_name: Some("AES128-GCM-SHA256"), kx: KeyExchange::Rsa, auth: Authentication::Rsa, cipher: Cipher::Aes, key_bits: 128, mode: CipherMode::Gcm, mac: Mac::Aead, aead: true, forward_secrecy: false, export: false, min_version: ProtocolVersion::TLS1_2, status: RegistryStatus::Iana, reference: "rfc5288" },
    SuiteInfo { suite: CipherSuite(0x009D), iana_name: "TLS_RSA_WITH_AES_256_GCM_SHA384", openssl_name: Some("AES256-GCM-SHA384"), kx: KeyExchange::Rsa, auth: Authentication::Rsa, cipher: Cipher::Aes, key_bits: 256, mode: CipherMode::Gcm, mac: Mac::Aead, aead: true, forward_secrecy: false, export: false, min_version: ProtocolVersion::TLS1_2, status: RegistryStatus::Iana, reference: "rfc5288" },
    SuiteInfo { suite: CipherSuite(0x009E), iana_name: "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256", openssl_name: Some("DHE-RSA-AES128-GCM-SHA256"), kx: KeyExchange::Dhe, auth: Authentication::Rsa, cipher: Cipher::Aes, key_bits: 128, mode: CipherMode::Gcm, mac: Mac::Aead, aead: true, forward_secrecy: true, export: false, min_version: ProtocolVersion::TLS1_2, status: RegistryStatus::Iana, reference: "rfc5288" },
    SuiteInfo { suite: CipherSuite(0x009F), iana_name: "TLS_DHE_RSA_WITH_AES_256_GCM_SHA384", openssl_name: Some("DHE-RSA-AES256-GCM-SHA384"), kx: KeyExchange::Dhe, auth: Authentication::Rsa, cipher: Cipher::Aes, key_bits: 256, mode: CipherMode::Gcm, mac: Mac::Aead, aead: true, forward_secrecy: true, export: false, min_version: ProtocolVersion::TLS1_2, status: RegistryStatus::Iana, reference: "rfc5288" },
    SuiteInfo { suite: CipherSuite(0x00A0), iana_name: "TLS_DH_RSA_WITH_AES_128_GCM_SHA256", openssl_name: Some("DH-RSA-AES128-GCM-SHA256"), kx: KeyExchange::Dh, auth: Authentication::Rsa, cipher: Cipher::Aes, key_bits: 128, mode: CipherMode::Gcm, mac: Mac::Aead, aead: true, forward_secrecy: false, export: false, min_version: ProtocolVersion::TLS1_2, status: RegistryStatus::Iana, reference: "rfc5288" },
    SuiteInfo { suite: CipherSuite(0x00A1), iana_name: "TLS_DH_RSA_WITH_AES_256_GCM_SHA384", openssl_name: Some("DH-RSA-AES256-GCM-SHA384"), kx: KeyExchange::Dh, auth: Authentication::Rsa, cipher: Cipher::Aes, key_bits: 256, mode: CipherMode::Gcm, mac: Mac::Aead, aead: true, forward_secrecy: false, export: false, min_version: ProtocolVersion::TLS1_2, status: RegistryStatus::Iana, reference: "rfc5288" },
    SuiteInfo { suite: CipherSuite(0x00A2), iana_name: "TLS_DHE_DSS_WITH_AES_128_GCM_SHA256", openssl_name: Some("DHE-DSS-AES128-GCM-SHA256"), kx: KeyExchange::Dhe, auth: Authentication::Dss, cipher: Cipher::Aes, key_bits: 128, mode: CipherMode::Gcm, mac: Mac::Aead, aead: true, forward_secrecy: true, export: false, min_version: ProtocolVersion::TLS1_2, status: RegistryStatus::Iana, reference: "rfc5288" },
    SuiteInfo { suite: CipherSuite(0x00A3), iana_name: "TLS_DHE_DSS_WITH_AES_256_GCM_SHA384", openssl_name: Some("DHE-DSS-AES256-GCM-SHA384"), kx: KeyExchange::Dhe, auth: Authentication::Dss, cipher: Cipher::Aes, key_bits: 256, mode: CipherMode::Gcm, mac: Mac::Aead, aead: true, forward_secrecy: true, export: false, min_version: ProtocolVersion::TLS1_2, status: RegistryStatus::Iana, reference: "rfc5288" },
    SuiteInfo { suite: CipherSuite(0x00A4), iana_name: "TLS_DH_DSS_WITH_AES_128_GCM_SHA256", openssl_name: Some("DH-DSS-AES128-GCM-SHA256"), kx: KeyExchange::Dh, auth: Authentication::Dss, cipher: Cipher::Aes, key_bits: 128, mode: CipherMode::Gcm, mac: Mac::Aead, aead: true, forward_secrecy: false, export: false, min_version: ProtocolVersion::TLS1_2, status: RegistryStatus::Iana, reference: "rfc5288" },
    SuiteInfo { suite: CipherSuite(0x00A5), iana_name: "TLS_DH_DSS_WITH_AES_256_GCM_SHA384", openssl_name: Some("DH-DSS-AES256-GCM-SHA384"), kx: KeyExchange::Dh, auth: Authentication::Dss, cipher: Cipher::Aes, key_bits: 256, mode: CipherMode::Gcm, mac: Mac::Aead, aead: true, forward_secrecy: false, export: false, min_version: ProtocolVersion::TLS1_2, status: RegistryStatus::Iana, reference: "rfc5288" },
    SuiteInfo { suite: CipherSuite(0x00A6), iana_name: "TLS_DH_anon_WITH_AES_128_GCM_SHA256", openssl_name: Some("ADH-AES128-GCM-SHA256"), kx: KeyExchange::Dh, auth: Authentication::Anon, cipher: Cipher::Aes, key_bits: 128, mode: CipherMode::Gcm, mac: Mac::Aead, aead: true, forward_secrecy: false, export: false, min_version: ProtocolVersion::TLS1_2, status: RegistryStatus::Iana, reference: "rfc5288" },
    SuiteInfo { suite: CipherSuite(0x00A7), iana_name: "TLS_DH_anon_WITH_AES_256_GCM_SHA384", openssl_name: Some("ADH-AES256-GCM-SHA384"), kx: KeyExchange::Dh, auth: Authentication::Anon, cipher: Cipher::Aes, key_bits: 256, mode: CipherMode::Gcm, mac: Mac::Aead, aead: true, forward_secrecy: false, export: false, min_version: ProtocolVersion::TLS1_2, status: RegistryStatus::Iana, reference: "rfc5288" },
    SuiteInfo { suite: CipherSuite(0x00A8), iana_name: "TLS_PSK_WITH_AES_128_GCM_SHA256", openssl_name: Some("PSK-AES128-GCM-SHA256"), kx: KeyExchange::Psk, auth: Authentication::Psk, cipher: Cipher::Aes, key_bits: 128, mode: CipherMode::Gcm, mac: Mac::Aead, aead: true, forward_secrecy: false, export: false, min_version: ProtocolVersion::TLS1_2, status: RegistryStatus::Iana, reference: "rfc5487" },
    SuiteInfo { suite: CipherSuite(0x00A9), iana_name: "TLS_PSK_WITH_AES_256_GCM_SHA384", openssl_name: Some("PSK-AES256-GCM-SHA384"), kx: KeyExchange::Psk, auth: Authentication::Psk, cipher: Cipher::Aes, key_bits: 256, mode: CipherMode::Gcm, mac: Mac::Aead, aead: true, forward_secrecy: false, export: false, min_version: ProtocolVersion::TLS1_2, status: RegistryStatus::Iana, reference: "rfc5487" },
    SuiteInfo { suite: CipherSuite(0x00AA), iana_name: "TLS_DHE_PSK_WITH_AES_128_GCM_SHA256", openssl_name: Some("DHE-PSK-AES128-GCM-SHA256"), kx: KeyExchange::Dhe, auth: Authentication::Psk, cipher: Cipher::Aes, key_bits: 128, mode: CipherMode::Gcm, mac: Mac::Aead, aead: true, forward_secrecy: true, export: false, min_version: ProtocolVersion::TLS1_2, status: RegistryStatus::Iana, reference: "rfc5487" },
    SuiteInfo { suite: CipherSuite(0x00AB), iana_name: "TLS_DHE_PSK_WITH_AES_256_GCM_SHA384", openssl_name: Some("DHE-PSK-AES256-GCM-SHA384"), kx: KeyExchange::Dhe, auth: Authentication::Psk, cipher: Cipher::Aes, key_bits: 256, mode: CipherMode::Gcm, mac: Mac::Aead, aead: true, forward_secrecy: true, export: false, min_version: ProtocolVersion::TLS1_2, status: RegistryStatus::Iana, reference: "rfc5487" },
    SuiteInfo { suite: CipherSuite(0x00AC), iana_name: "TLS_RSA_PSK_WITH_AES_128_GCM_SHA256", openssl_name: Some("RSA-PSK-AES128-GCM-SHA256"), kx: KeyExchange::Rsa, auth: Authentication::Psk, cipher: Cipher::Aes, key_bits: 128, mode: CipherMode::Gcm, mac: Mac::Aead, aead: true, forward_secrecy: false, export: false, min_version: ProtocolVersion::TLS1_2, status: RegistryStatus::Iana, reference: "rfc5487" },
    SuiteInfo { suite: CipherSuite(0x00AD), iana_name: "TLS_RSA_PSK_WITH_AES_256_GCM_SHA384", openssl_name: Some("RSA-PSK-AES256-GCM-SHA384"), kx: KeyExchange::Rsa, auth: Authentication::Psk, cipher: Cipher::Aes, key_bits: 256, mode: CipherMode::Gcm, mac: Mac::Aead, aead: true, forward_secrecy: false, export: false, min_version: ProtocolVersion::TLS1_2, status: RegistryStatus::Iana, reference: "rfc5487" },
    SuiteInfo { suite: CipherSuite(0x00AE), iana_name: "TLS_PSK_WITH_AES_128_CBC_SHA256", openssl_name: Some("PSK-AES128-CBC-SHA256"), kx: KeyExchange::Psk, auth: Authentication::Psk, cipher: Cipher::Aes, key_bits: 128, mode: CipherMode::Cbc, mac: Mac::Sha256, aead: false, forward_secrecy: false, export: false, min_version: ProtocolVersion::TLS1_0, status: RegistryStatus::Iana, reference: "rfc5487" },
    SuiteInfo { suite: CipherSuite(0x00AF), iana_name: "TLS_PSK_WITH_AES_256_CBC_SHA384", openssl_name: Some("PSK-AES256-CBC-SHA384"), kx: KeyExchange::Psk, auth: Authentication::Psk, cipher: Cipher::Aes, key_bits: 256, mode: CipherMode::Cbc, mac: Mac::Sha384, aead: false, forward_secrecy: false, export: false, min_version: ProtocolVersion::TLS1_0, status: RegistryStatus::Iana, reference: "rfc5487" },
    SuiteInfo { suite: CipherSuite(0x00B0), iana_name: "TLS_PSK_WITH_NULL_SHA256", openssl_name: Some("PSK-NULL-SHA256"), kx: KeyExchange::Psk, auth: Authentication::Psk, cipher: Cipher::Null, key_bits: 0, mode: CipherMode::Null, mac: Mac::Sha256, aead: false, forward_secrecy: false, export: false, min_version: ProtocolVersion::TLS1_0, status: RegistryStatus::Iana, reference: "rfc5487" },
    SuiteInfo { suite: CipherSuite(0x00B1), iana_name: "TLS_PSK_WITH_NULL_SHA384", openssl_name: Some("PSK-NULL-SHA384"), kx: KeyExchange::Psk, auth: Authentication::Psk, cipher: Cipher::Null, key_bits: 0, mode: CipherMode::Null, mac: Mac::Sha384, aead: false, forward_secrecy: false, export: false, min_version: ProtocolVersion::TLS1_0, status: RegistryStatus::Iana, reference: "rfc5487" },
    SuiteInfo { suite: CipherSuite(0x00B2), iana_name: "TLS_DHE_PSK_WITH_AES_128_CBC_SHA256", openssl_name: Some("DHE-PSK-AES128-CBC-SHA256"), kx: KeyExchange::Dhe, auth: Authentication::Psk, cipher: Cipher::Aes, key_bits: 128, mode: CipherMode::Cbc, mac: Mac::Sha256, aead: false, forward_secrecy: true, export: false, min_version: ProtocolVersion::TLS1_0, status: RegistryStatus::Iana, reference: "rfc5487" },
    SuiteInfo { suite: CipherSuite(0x00B3), iana_name: "TLS_DHE_PSK_WITH_AES_256_CBC_SHA384", openssl_name: Some("DHE-PSK-AES256-CBC-SHA384"), kx: KeyExchange::Dhe, auth: Authentication::Psk, cipher: Cipher::Aes, key_bits: 256, mode: CipherMode::Cbc, mac: Mac::Sha384, aead: false, forward_secrecy: true, export: false, min_version: ProtocolVersion::TLS1_0, status: RegistryStatus::Iana, reference: "rfc5487" },
    SuiteInfo { suite: CipherSuite(0x00B4), iana_name: "TLS_DHE_PSK_WITH_NULL_SHA256", openssl_name: Some("DHE-PSK-NULL-SHA256"), kx: KeyExchange::Dhe, auth: Authentication::Psk, cipher: Cipher::Null, key_bits: 0, mode: CipherMode::Null, mac: Mac::Sha256, aead: false, forward_secrecy: true, export: false, min_version: ProtocolVersion::TLS1_0, status: RegistryStatus::Iana, reference: "rfc5487" },
    SuiteInfo { suite: CipherSuite(0x00B5), iana_name: "TLS_DHE_PSK_WITH_NULL_SHA384", openssl_name: Some("DHE-PSK-NULL-SHA384"), kx: KeyExchange::Dhe, auth: Authentication::Psk, cipher: Cipher::Null, key_bits: 0, mode: CipherMode::Null, mac: Mac::Sha384, aead: false, forward_secrecy: true, export: false, min_version: ProtocolVersion::TLS1_0, status: RegistryStatus::Iana, reference: "rfc5487" },
    SuiteInfo { suite: CipherSuite(0x00B6), iana_name: "TLS_RSA_PSK_WITH_AES_128_CBC_SHA256", openssl_name: Some("RSA-PSK-AES128-CBC-SHA256"), kx: KeyExchange::Rsa, auth: Authentication::Psk, cipher: Cipher::Aes, key_bits: 128, mode: CipherMode::Cbc, mac: Mac::Sha256, aead: false, forward_secrecy: false, export: false, min_version: ProtocolVersion::TLS1_0, status: RegistryStatus::Iana, reference: "rfc5487" },
    SuiteInfo { suite: CipherSuite(0x00B7), iana_name: "TLS_RSA_PSK_WITH_AES_256_CBC_SHA384", openssl_name: Some("RSA-PSK-AES256-CBC-SHA384"), kx: KeyExchange::Rsa, auth: Authentication::Psk, cipher: Cipher::Aes, key_bits: 256, mode: CipherMode::Cbc, mac: Mac::Sha384, aead: false, forward_secrecy: false, export: false, min_version: ProtocolVersion::TLS1_0, status: RegistryStatus::Iana, reference: "rfc5487" },
    SuiteInfo { suite: CipherSuite(0x00B8), iana_name: "TLS_RSA_PSK_WITH_NULL_SHA256", openssl_name: Some("RSA-PSK-NULL-SHA256"), kx: KeyExchange::Rsa, auth: Authentication::Psk, cipher: Cipher::Null, key_bits: 0, mode: CipherMode::Null, mac: Mac::Sha256, aead: false, forward_secrecy: false, export: false, min_version: ProtocolVersion::TLS1_0, status: RegistryStatus::Iana, reference: "rfc5487" },
    SuiteInfo { suite: CipherSuite(0x00B9), iana_name: "TLS_RSA_PSK_WITH_NULL_SHA384", openssl_name: Some("RSA-PSK-NULL-SHA384"), kx: KeyExchange::Rsa, auth: Authentication::Psk, cipher: Cipher::Null, key_bits: 0, mode: CipherMode::Null, mac: Mac::Sha384, aead: false, forward_secrecy: false, export: false, min_version: ProtocolVersion::TLS1_0, status: RegistryStatus::Iana, reference: "rfc5487" },
    SuiteInfo { suite: CipherSuite(0x00BA), iana_name: "TLS_RSA_WITH_CAMELLIA_128_CBC_SHA256", openssl_name: Some("CAMELLIA128-SHA256"), kx: KeyExchange::Rsa, auth: Authentication::Rsa, cipher: Cipher::Camellia, key_bits: 128, mode: CipherMode::Cbc, mac: Mac::Sha256, aead: false, forward_secrecy: false, export: false, min_version: ProtocolVersion::TLS1_2, status: RegistryStatus::Iana, reference: "rfc5932" },
    SuiteInfo { suite: CipherSuite(0x00BB), iana_name: "TLS_DH_DSS_WITH_CAMELLIA_128_CBC_SHA256", openssl_name: None, kx: KeyExchange::Dh, auth: Authentication::Dss, cipher: Cipher::Camellia, key_bits: 128, mode: CipherMode::Cbc, mac: Mac::Sha256, aead: false, forward_secrecy: false, export: false, min_version: ProtocolVersion::TLS1_2, status: RegistryStatus::Iana, reference: "rfc5932" },
    SuiteInfo { suite: CipherSuite(0x00BC), iana_name: "TLS_DH_RSA_WITH_CAMELLIA_128_CBC_SHA256", openssl_name: None, kx: KeyExchange::Dh, auth: Authentication::Rsa, cipher: Cipher::Camellia, key_bits: 128, mode: CipherMode::Cbc, mac: Mac::Sha256, aead: false, forward_secrecy: false, export: false, min_version: ProtocolVersion::TLS1_2, status: RegistryStatus::Iana, reference: "rfc5932" },
    SuiteInfo { suite: CipherSuite(0x00BD), iana_name: "TLS_DHE_DSS_WITH_CAMELLIA_128_CBC_SHA256", openssl_name: Some("DHE-DSS-CAMELLIA128-SHA256"), kx: KeyExchange::Dhe, auth: Authentication::Dss, cipher: Cipher::Camellia, key_bits: 128, mode: CipherMode::Cbc, mac: Mac::Sha256, aead: false, forward_secrecy: true, export: false, min_version: ProtocolVersion::TLS1_2, status: RegistryStatus::Iana, reference: "rfc5932" },
    SuiteInfo { suite: CipherSuite(0x00BE), iana_name: "TLS_DHE_RSA_WITH_CAMELLIA_128_CBC_SHA256", openssl_name: Some("DHE-RSA-CAMELLIA128-SHA256"), kx: KeyExchange::Dhe, auth: Authentication::Rsa, cipher: Cipher::Camellia, key_bits: 128, mode: CipherMode::Cbc, mac: Mac::Sha256, aead: false, forward_secrecy: true, export: false, min_version: ProtocolVersion::TLS1_2, status: RegistryStatus::Iana, reference: "rfc5932" },
    SuiteInfo { suite: CipherSuite(0x00BF), iana_name: "TLS_DH_anon_WITH_CAMELLIA_128_CBC_SHA256", openssl_name: Some("ADH-CAMELLIA128-SHA256"), kx: KeyExchange::Dh, auth: Authentication::Anon, cipher: Cipher::Camellia, key_bits: 128, mode: CipherMode::Cbc, mac: Mac::Sha256, aead: false, forward_secrecy: false, export: false, min_version: ProtocolVersion::TLS1_2, status: RegistryStatus::Iana, reference: "rfc5932" },
    SuiteInfo { suite: CipherSuite(0x00C0), iana_name: "TLS_RSA_WITH_CAMELLIA_256_CBC_SHA256", openssl_name: Some("CAMELLIA256-SHA256"), kx: KeyExchange::Rsa, auth: Authentication::Rsa, cipher: Cipher::Camellia, key_bits: 256, mode: CipherMode::Cbc, mac: Mac::Sha256, aead: false, forward_secrecy: false, export: false, min_version: ProtocolVersion::TLS1_2, status: RegistryStatus::Iana, reference: "rfc5932" },
    SuiteInfo { suite: CipherSuite(0x00C1), iana_name: "TLS_DH_DSS_WITH_CAMELLIA_256_CBC_SHA256", openssl_name: None, kx: KeyExchange::Dh, auth: Authentication::Dss, cipher: Cipher::Camellia, key_bits: 256, mode: CipherMode::Cbc, mac: Mac::Sha256, aead: false, forward_secrecy: false, export: false, min_version: ProtocolVersion::TLS1_2, status: RegistryStatus::Iana, reference: "rfc5932" },
    SuiteInfo { suite: CipherSuite(0x00C2), iana_name: "TLS_DH_RSA_WITH_CAMELLIA_256_CBC_SHA256", openssl_name: None, kx: KeyExchange::Dh, auth: Authentication::Rsa, cipher: Cipher::Camellia, key_bits: 256, mode: CipherMode::Cbc, mac: Mac::Sha256, aead: false, forward_secrecy: false, export: false, min_version: ProtocolVersion::TLS1_2, status: RegistryStatus::Iana, reference: "rfc5932" },
    SuiteInfo { suite: CipherSuite(0x00C3), iana_name: "TLS_DHE_DSS_WITH_CAMELLIA_256_CBC_SHA256", openssl_name: Some("DHE-DSS-CAMELLIA256-SHA256"), kx: KeyExchange::Dhe, auth: Authentication::Dss, cipher: Cipher::Camellia, key_bits: 256, mode: CipherMode::Cbc, mac: Mac::Sha256, aead: false, forward_secrecy: true, export: false, min_version: ProtocolVersion::TLS1_2, status: RegistryStatus::Iana, reference: "rfc5932" },
    SuiteInfo { suite: CipherSuite(0x00C4), iana_name: "TLS_DHE_RSA_WITH_CAMELLIA_256_CBC_SHA256", openssl_name: Some("DHE-RSA-CAMELLIA256-SHA256"), kx: KeyExchange::Dhe, auth: Authentication::Rsa, cipher: Cipher::Camellia, key_bits: 256, mode: CipherMode::Cbc, mac: Mac::Sha256, aead: false, forward_secrecy: true, export: false, min_version: ProtocolVersion::TLS1_2, status: RegistryStatus::Iana, reference: "rfc5932" },
    SuiteInfo { suite: CipherSuite(0x00C5), iana_name: "TLS_DH_anon_WITH_CAMELLIA_256_CBC_SHA256", openssl_name: Some("ADH-CAMELLIA256-SHA256"), kx: KeyExchange::Dh, auth: Authentication::Anon, cipher: Cipher::Camellia, key_bits: 256, mode: CipherMode::Cbc, mac: Mac::Sha256, aead: false, forward_secrecy: false, export: false, min_version: ProtocolVersion::TLS1_2, status: RegistryStatus::Iana, reference: "rfc5932" },
    SuiteInfo { suite: CipherSuite(0x00C6), iana_name: "TLS_SM4_GCM_SM3", openssl_name: None, kx: KeyExchange::Any, auth: Authentication::Any, cipher: Cipher::Sm4, key_bits: 128, mode: CipherMode::Gcm, mac: Mac::Aead, aead: true, forward_secrecy: true, export: false, min_version: ProtocolVersion::TLS1_3, status: RegistryStatus::Iana, reference: "rfc8998" },
    SuiteInfo { suite: CipherSuite(0x00C7), iana_name: "TLS_SM4_CCM_SM3", openssl_name: None, kx: KeyExchange::Any, auth: Authentication::Any, cipher: Cipher::Sm4, key_bits: 128, mode: CipherMode::Ccm, mac: Mac::Aead, aead: true, forward_secrecy: true, export: false, min_version: ProtocolVersion::TLS1_3, status: RegistryStatus::Iana, reference: "rfc8998" },
    SuiteInfo { suite: CipherSuite(0x00FF), iana_name: "TLS_EMPTY_RENEGOTIATION_INFO_SCSV", openssl_name: None, kx: KeyExchange::Null, auth: Authentication::Null, cipher: Cipher::Null, key_bits: 0, mode: CipherMode::Null, mac: Mac::Null, aead: false, forward_secrecy: false, export: false, min_version: ProtocolVersion::SSL3, status: RegistryStatus::Iana, reference: "rfc5746" },
    SuiteInfo { suite: CipherSuite(0x1301), iana_name: "TLS_AES_128_GCM_SHA256", openssl_name: Some("TLS_AES_128_GCM_SHA256"), kx: KeyExchange::Any, auth: Authentication::Any, cipher: Cipher::Aes, key_bits: 128, mode: CipherMode::Gcm, mac: Mac::Aead, aead: true, forward_secrecy: true, export: false, min_version: ProtocolVersion::TLS1_3, status: RegistryStatus::Iana, reference: "rfc8446" },
    SuiteInfo { suite: CipherSuite(0x1302), iana_name: "TLS_AES_256_GCM_SHA384", openssl_name: Some("TLS_AES_256_GCM_SHA384"), kx: KeyExchange::Any, auth: Authentication::Any, cipher: Cipher::Aes, key_bits: 256, mode: CipherMode::Gcm, mac: Mac::Aead, aead: true, forward_secrecy: true, export: false, min_version: ProtocolVersion::TLS1_3, status: RegistryStatus::Iana, reference: "rfc8446" },
    SuiteInfo { suite: CipherSuite(0x1303), iana_name: "TLS_CHACHA20_POLY1305_SHA256", openssl_name: Some("TLS_CHACHA20_POLY1305_SHA256"), kx: KeyExchange::Any, auth: Authentication::Any, cipher: Cipher::Chacha20, key_bits: 256, mode: CipherMode::ChaCha20Poly1305, mac: Mac::Aead, aead: true, forward_secrecy: true, export: false, min_version: ProtocolVersion::TLS1_3, status: RegistryStatus::Iana, reference: "rfc8446" },
    SuiteInfo { suite: CipherSuite(0x1304), iana_name: "TLS_AES_128_CCM_SHA256", openssl_name: Some("TLS_AES_128_CCM_SHA256"), kx: KeyExchange::Any, auth: Authentication::Any, cipher: Cipher::Aes, key_bits: 128, mode: CipherMode::Ccm, mac: Mac::Aead, aead: true, forward_secrecy: true, export: false, min_version: ProtocolVersion::TLS1_3, status: RegistryStatus::Iana, reference: "rfc8446" },
    SuiteInfo { suite: CipherSuite(0x1305), iana_name: "TLS_AES_128_CCM_8_SHA256", openssl_name: Some("TLS_AES_128_CCM_8_SHA256"), kx: KeyExchange::Any, auth: Authentication::Any, cipher: Cipher::Aes, key_bits: 128, mode: CipherMode::Ccm8, mac: Mac::Aead, aead: true, forward_secrecy: true, export: false, min_version: ProtocolVersion::TLS1_3, status: RegistryStatus::Iana, reference: "rfc8446,iesg action 2018-08-16" },
    SuiteInfo { suite: CipherSuite(0x1306), iana_name: "TLS_AEGIS_256_SHA512", openssl_name: None, kx: KeyExchange::Any, auth: Authentication::Any, cipher: Cipher::Aegis256, key_bits: 256, mode: CipherMode::Aegis, mac: Mac::Aead, aead: true, forward_secrecy: true, export: false, min_version: ProtocolVersion::TLS1_3, status: RegistryStatus::Iana, reference: "draft-irtf-cfrg-aegis-aead-08" },
    SuiteInfo { suite: CipherSuite(0x1307), iana_name: "TLS_AEGIS_128L_SHA256", openssl_name: None, kx: KeyExchange::Any, auth: Authentication::Any, cipher: Cipher::Aegis128L, key_bits: 128, mode: CipherMode::Aegis, mac: Mac::Aead, aead: true, forward_secrecy: true, export: false, min_version: ProtocolVersion::TLS1_3, status: RegistryStatus::Iana, reference: "draft-irtf-cfrg-aegis-aead-08" },
    SuiteInfo { suite: CipherSuite(0x5600), iana_name: "TLS_FALLBACK_SCSV", openssl_name: None, kx: KeyExchange::Null, auth: Authentication::Null, cipher: Cipher::Null, key_bits: 0, mode: CipherMode::Null, mac: Mac::Null, aead: false, forward_secrecy: false, export: false, min_version: ProtocolVersion::SSL3, status: RegistryStatus::Iana, reference: "rfc7507" },
    SuiteInfo { suite: CipherSuite(0xC001), iana_name: "TLS_ECDH_ECDSA_WITH_NULL_SHA", openssl_name: None, kx: KeyExchange::Ecdh, auth: Authentication::Ecdsa, cipher: Cipher::Null, key_bits: 0, mode: CipherMode::Null, mac: Mac::Sha1, aead: false, forward_secrecy: false, export: false, min_version: ProtocolVersion::TLS1_0, status: RegistryStatus::Iana, reference: "rfc8422" },
    SuiteInfo { suite: CipherSuite(0xC002), iana_name: "TLS_ECDH_ECDSA_WITH_RC4_128_SHA", openssl_name: None, kx: KeyExchange::Ecdh, auth: Authentication::Ecdsa, cipher: Cipher::Rc4, key_bits: 128, mode: CipherMode::Stream, mac: Mac::Sha1, aead: false, forward_secrecy: false, export: false, min_version: ProtocolVersion::TLS1_0, status: RegistryStatus::Iana, reference: "rfc8422,rfc6347" },
    SuiteInfo { suite: CipherSuite(0xC003), iana_name: "TLS_ECDH_ECDSA_WITH_3DES_EDE_CBC_SHA", openssl_name: None, kx: KeyExchange::Ecdh, auth: Authentication::Ecdsa, cipher: Cipher::TripleDes, key_bits: 168, mode: CipherMode::Cbc, mac: Mac::Sha1, aead: false, forward_secrecy: false, export: false, min_version: ProtocolVersion::TLS1_0, status: RegistryStatus::Iana, reference: "rfc8422" },
    SuiteInfo { suite: CipherSuite(0xC004), iana_name: "TLS_ECDH_ECDSA_WITH_AES_128_CBC_SHA", openssl_name: None, kx: KeyExchange::Ecdh, auth: Authentication::Ecdsa, cipher: Cipher::Aes, key_bits: 128, mode: CipherMode::Cbc, mac: Mac::Sha1, aead: false, forward_secrecy: false, export: false, min_version: ProtocolVersion::TLS1_0, status: RegistryStatus::Iana, reference: "rfc8422" },
    SuiteInfo { suite: CipherSuite(0xC005), iana_name: "TLS_ECDH_ECDSA_WITH_AES_256_CBC_SHA", openssl_name: None, kx: KeyExchange::Ecdh, auth: Authentication::Ecdsa, cipher: Cipher::Aes, key_bits: 256, mode: CipherMode::Cbc, mac: Mac::Sha1, aead: false, forward_secrecy: false, export: false, min_version: ProtocolVersion::TLS1_0, status: RegistryStatus::Iana, reference: "rfc8422" },
    SuiteInfo { suite: CipherSuite(0xC006), iana_name: "TLS_ECDHE_ECDSA_WITH_NULL_SHA", openssl_name: Some("ECDHE-ECDSA-NULL-SHA"), kx: KeyExchange::Ecdhe, auth: Authentication::Ecdsa, cipher: Cipher::Null, key_bits: 0, mode: CipherMode::Null, mac: Mac::Sha1, aead: false, forward_secrecy: true, export: false, min_version: ProtocolVersion::TLS1_0, status: RegistryStatus::Iana, reference: "rfc8422" },
    SuiteInfo { suite: CipherSuite(0xC007), iana_name: "TLS_ECDHE_ECDSA_WITH_RC4_128_SHA", openssl_name: Some("ECDHE-ECDSA-RC4-SHA"), kx: KeyExchange::Ecdhe, auth: Authentication::Ecdsa, cipher: Cipher::Rc4, key_bits: 128, mode: CipherMode::Stream, mac: Mac::Sha1, aead: false, forward_secrecy: true, export: false, min_version: ProtocolVersion::TLS1_0, status: RegistryStatus::Iana, reference: "rfc8422,rfc6347" },
    SuiteInfo { suite: CipherSuite(0xC008), iana_name: "TLS_ECDHE_ECDSA_WITH_3DES_EDE_CBC_SHA", openssl_name: Some("ECDHE-ECDSA-DES-CBC3-SHA"), kx: KeyExchange::Ecdhe, auth: Authentication::Ecdsa, cipher: Cipher::TripleDes, key_bits: 168, mode: CipherMode::Cbc, mac: Mac::Sha1, aead: false, forward_secrecy: true, export: false, min_version: ProtocolVersion::TLS1_0, status: RegistryStatus::Iana, reference: "rfc8422" },
    SuiteInfo { suite: CipherSuite(0xC009), iana_name: "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA", openssl_name: Some("ECDHE-ECDSA-AES128-SHA"), kx: KeyExchange::Ecdhe, auth: Authentication::Ecdsa, cipher: Cipher::Aes, key_bits: 128, mode: CipherMode::Cbc, mac: Mac::Sha1, aead: false, forward_secrecy: true, export: false, min_version: ProtocolVersion::TLS1_0, status: RegistryStatus::Iana, reference: "rfc8422" },
    SuiteInfo { suite: CipherSuite(0xC00A), iana_name: "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA", openssl_name: Some("ECDHE-ECDSA-AES256-SHA"), kx: KeyExchange::Ecdhe, auth: Authentication::Ecdsa, cipher: Cipher::Aes, key_bits: 256, mode: CipherMode::Cbc, mac: Mac::Sha1, aead: false, forward_secrecy: true, export: false, min_version: ProtocolVersion::TLS1_0, status: RegistryStatus::Iana, reference: "rfc8422" },
    SuiteInfo { suite: CipherSuite(0xC00B), iana_name: "TLS_ECDH_RSA_WITH_NULL_SHA", openssl_name: None, kx: KeyExchange::Ecdh, auth: Authentication::Rsa, cipher: Cipher::Null, key_bits: 0, mode: CipherMode::Null, mac: Mac::Sha1, aead: false, forward_secrecy: false, export: false, min_version: ProtocolVersion::TLS1_0, status: RegistryStatus::Iana, reference: "rfc8422" },
    SuiteInfo { suite: CipherSuite(0xC00C), iana_name: "TLS_ECDH_RSA_WITH_RC4_128_SHA", openssl_name: None, kx: KeyExchange::Ecdh, auth: Authentication::Rsa, cipher: Cipher::Rc4, key_bits: 128, mode: CipherMode::Stream, mac: Mac::Sha1, aead: false, forward_secrecy: false, export: false, min_version: ProtocolVersion::TLS1_0, status: RegistryStatus::Iana, reference: "rfc8422,rfc6347" },
    SuiteInfo { suite: CipherSuite(0xC00D), iana_name: "TLS_ECDH_RSA_WITH_3DES_EDE_CBC_SHA", openssl_name: None, kx: KeyExchange::Ecdh, auth: Authentication::Rsa, cipher: Cipher::TripleDes, key_bits: 168, mode: CipherMode::Cbc, mac: Mac::Sha1, aead: false, forward_secrecy: false, export: false, min_version: ProtocolVersion::TLS1_0, status: RegistryStatus::Iana, reference: "rfc8422" },
    SuiteInfo { suite: CipherSuite(0xC00E), iana_name: "TLS_ECDH_RSA_WITH_AES_128_CBC_SHA", openssl_name: None, kx: KeyExchange::Ecdh, auth: Authentication::Rsa, cipher: Cipher::Aes, key_bits: 128, mode: CipherMode::Cbc, mac: Mac::Sha1, aead: false, forward_secrecy: false, export: false, min_version: ProtocolVersion::TLS1_0, status: RegistryStatus::Iana, reference: "rfc8422" },
    SuiteInfo { suite: CipherSuite(0xC00F), iana_name: "TLS_ECDH_RSA_WITH_AES_256_CBC_SHA", openssl_name: None, kx: KeyExchange::Ecdh, auth: Authentication::Rsa, cipher: Cipher::Aes, key_bits: 256, mode: CipherMode::Cbc, mac: Mac::Sha1, aead: false, forward_secrecy: false, export: false, min_version: ProtocolVersion::TLS1_0, status: RegistryStatus::Iana, reference: "rfc8422" },
    SuiteInfo { suite: CipherSuite(0xC010), iana_name: "TLS_ECDHE_RSA_WITH_NULL_SHA", openssl_name: Some("ECDHE-RSA-NULL-SHA"), kx: KeyExchange::Ecdhe, auth: Authentication::Rsa, cipher: Cipher::Null, key_bits: 0, mode: CipherMode::Null, mac: Mac::Sha1, aead: false, forward_secrecy: true, export: false, min_version: ProtocolVersion::TLS1_0, status: RegistryStatus::Iana, reference: "rfc8422" },
    SuiteInfo { suite: CipherSuite(0xC011), iana_name: "TLS_ECDHE_RSA_WITH_RC4_128_SHA", openssl_name: Some("ECDHE-RSA-RC4-SHA"), kx: KeyExchange::Ecdhe, auth: Authentication::Rsa, cipher: Cipher::Rc4, key_bits: 128, mode: CipherMode::Stream, mac: Mac::Sha1, aead: false, forward_secrecy: true, export: false, min_version: ProtocolVersion::TLS1_0, status: RegistryStatus::Iana, reference: "rfc8422,rfc6347" },
    SuiteInfo { suite: CipherSuite(0xC012), iana_name: "TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA", openssl_name: Some("ECDHE-RSA-DES-CBC3-SHA"), kx: KeyExchange::Ecdhe, auth: Authentication::Rsa, cipher: Cipher::TripleDes, key_bits: 168, mode: CipherMode::Cbc, mac: Mac::Sha1, aead: false, forward_secrecy: true, export: false, min_version: ProtocolVersion::TLS1_0, status: RegistryStatus::Iana, reference: "rfc8422" },
    SuiteInfo { suite: CipherSuite(0xC013), iana_name: "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA", openssl_name: Some("ECDHE-RSA-AES128-SHA"), kx: KeyExchange::Ecdhe, auth: Authentication::Rsa, cipher: Cipher::Aes, key_bits: 128, mode: CipherMode::Cbc, mac: Mac::Sha1, aead: false, forward_secrecy: true, export: false, min_version: ProtocolVersion::TLS1_0, status: RegistryStatus::Iana, reference: "rfc8422" },
    SuiteInfo { suite: CipherSuite(0xC014), iana_name: "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA", openssl_name: Some("ECDHE-RSA-AES256-SHA"), kx: KeyExchange::Ecdhe, auth: Authentication::Rsa, cipher: Cipher::Aes, key_bits: 256, mode: CipherMode::Cbc, mac: Mac::Sha1, aead: false, forward_secrecy: true, export: false, min_version: ProtocolVersion::TLS1_0, status: RegistryStatus::Iana, reference: "rfc8422" },
    SuiteInfo { suite: CipherSuite(0xC015), iana_name: "TLS_ECDH_anon_WITH_NULL_SHA", openssl_name: Some("AECDH-NULL-SHA"), kx: KeyExchange::Ecdh, auth: Authentication::Anon, cipher: Cipher::Null, key_bits: 0, mode: CipherMode::Null, mac: Mac::Sha1, aead: false, forward_secrecy: false, export: false, min_version: ProtocolVersion::TLS1_0, status: RegistryStatus::Iana, reference: "rfc8422" },
    SuiteInfo { suite: CipherSuite(0xC016), iana_name: "TLS_ECDH_anon_WITH_RC4_128_SHA", openssl_name: Some("AECDH-RC4-SHA"), kx: KeyExchange::Ecdh, auth: Authentication::Anon, cipher: Cipher::Rc4, key_bits: 128, mode: CipherMode::Stream, mac: Mac::Sha1, aead: false, forward_secrecy: false, export: false, min_version: ProtocolVersion::TLS1_0, status: RegistryStatus::Iana, reference: "rfc8422,rfc6347" },
    SuiteInfo { suite: CipherSuite(0xC017), iana_name: "TLS_ECDH_anon_WITH_3DES_EDE_CBC_SHA", openssl_name: Some("AECDH-DES-CBC3-SHA"), kx: KeyExchange::Ecdh, auth: Authentication::Anon, cipher: Cipher::TripleDes, key_bits: 168, mode: CipherMode::Cbc, mac: Mac::Sha1, aead: false, forward_secrecy: false, export: false, min_version: ProtocolVersion::TLS1_0, status: RegistryStatus::Iana, reference: "rfc8422" },
    SuiteInfo { suite: CipherSuite(0xC018), iana_name: "TLS_ECDH_anon_WITH_AES_128_CBC_SHA", openssl_name: Some("AECDH-AES128-SHA"), kx: KeyExchange::Ecdh, auth: Authentication::Anon, cipher: Cipher::Aes, key_bits: 128, mode: CipherMode::Cbc, mac: Mac::Sha1, aead: false, forward_secrecy: false, export: false, min_version: ProtocolVersion::TLS1_0, status: RegistryStatus::Iana, reference: "rfc8422" },
    SuiteInfo { suite: CipherSuite(0xC019), iana_name: "TLS_ECDH_anon_WITH_AES_256_CBC_SHA", openssl_name: Some("AECDH-AES256-SHA"), kx: KeyExchange::Ecdh, auth: Authentication::Anon, cipher: Cipher::Aes, key_bits: 256, mode: CipherMode::Cbc, mac: Mac::Sha1, aead: false, forward_secrecy: false, export: false, min_version: ProtocolVersion::TLS1_0, status: RegistryStatus::Iana, reference: "rfc8422" },
    SuiteInfo { suite: CipherSuite(0xC01A), iana_name: "TLS_SRP_SHA_WITH_3DES_EDE_CBC_SHA", openssl_name: None, kx: KeyExchange::Srp, auth: Authentication::Srp, cipher: Cipher::TripleDes, key_bits: 168, mode: CipherMode::Cbc, mac: Mac::Sha1, aead: false, forward_secrecy: true, export: false, min_version: ProtocolVersion::TLS1_0, status: RegistryStatus::Iana, reference: "rfc5054" },
    SuiteInfo { suite: CipherSuite(0xC01B), iana_name: "TLS_SRP_SHA_RSA_WITH_3DES_EDE_CBC_SHA", openssl_name: None, kx: KeyExchange::Srp, auth: Authentication::SrpRsa, cipher: Cipher::TripleDes, key_bits: 168, mode: CipherMode::Cbc, mac: Mac::Sha1, aead: false, forward_secrecy: true, export: false, min_version: ProtocolVersion::TLS1_0, status: RegistryStatus::Iana, reference: "rfc5054" },
    SuiteInfo { suite: CipherSuite(0xC01C), iana_name: "TLS_SRP_SHA_DSS_WITH_3DES_EDE_CBC_SHA", openssl_name: None, kx: KeyExchange::Srp, auth: Authentication::SrpDss, cipher: Cipher::TripleDes, key_bits: 168, mode: CipherMode::Cbc, mac: Mac::Sha1, aead: false, forward_secrecy: true, export: false, min_version: ProtocolVersion::TLS1_0, status: RegistryStatus::Iana, reference: "rfc5054" },
    SuiteInfo { suite: CipherSuite(0xC01D), iana_name: "TLS_SRP_SHA_WITH_AES_128_CBC_SHA", openssl_name: Some("SRP-AES-128-CBC-SHA"), kx: KeyExchange::Srp, auth: Authentication::Srp, cipher: Cipher::Aes, key_bits: 128, mode: CipherMode::Cbc, mac: Mac::Sha1, aead: false, forward_secrecy: true, export: false, min_version: ProtocolVersion::SSL3, status: RegistryStatus::Iana, reference: "rfc5054" },
    SuiteInfo { suite: CipherSuite(0xC01E), iana_name: "TLS_SRP_SHA_RSA_WITH_AES_128_CBC_SHA", openssl_name: Some("SRP-RSA-AES-128-CBC-SHA"), kx: KeyExchange::Srp, auth: Authentication::SrpRsa, cipher: Cipher::Aes, key_bits: 128, mode: CipherMode::Cbc, mac: Mac::Sha1, aead: false, forward_secrecy: true, export: false, min_version: ProtocolVersion::SSL3, status: RegistryStatus::Iana, reference: "rfc5054" },
    SuiteInfo { suite: CipherSuite(0xC01F), iana_name: "TLS_SRP_SHA_DSS_WITH_AES_128_CBC_SHA", openssl_name: Some("SRP-DSS-AES-128-CBC-SHA"), kx: KeyExchange::Srp, auth: Authentication::SrpDss, cipher: Cipher::Aes, key_bits: 128, mode: CipherMode::Cbc, mac: Mac::Sha1, aead: false, forward_secrecy: true, export: false, min_version: ProtocolVersion::SSL3, status: RegistryStatus::Iana, reference: "rfc5054" },
    SuiteInfo { suite: CipherSuite(0xC020), iana_name: "TLS_SRP_SHA_WITH_AES_256_CBC_SHA", openssl_name: Some("SRP-AES-256-CBC-SHA"), kx: KeyExchange::Srp, auth: Authentication::Srp, cipher: Cipher::Aes, key_bits: 256, mode: CipherMode::Cbc, mac: Mac::Sha1, aead: false, forward_secrecy: true, export: false, min_version: ProtocolVersion::SSL3, status: RegistryStatus::Iana, reference: "rfc5054" },
    SuiteInfo { suite: CipherSuite(0xC021), iana_name: "TLS_SRP_SHA_RSA_WITH_AES_256_CBC_SHA", openssl_name: Some("SRP-RSA-AES-256-CBC-SHA"), kx: KeyExchange::Srp, auth: Authentication::SrpRsa, cipher: Cipher::Aes, key_bits: 256, mode: CipherMode::Cbc, mac: Mac::Sha1, aead: false, forward_secrecy: true, export: false, min_version: ProtocolVersion::SSL3, status: RegistryStatus::Iana, reference: "rfc5054" },
    SuiteInfo { suite: CipherSuite(0xC022), iana_name: "TLS_SRP_SHA_DSS_WITH_AES_256_CBC_SHA", openssl_name: Some("SRP-DSS-AES-256-CBC-SHA"), kx: KeyExchange::Srp, auth: Authentication::SrpDss, cipher: Cipher::Aes, key_bits: 256, mode: CipherMode::Cbc, mac: Mac::Sha1, aead: false, forward_secrecy: true, export: false, min_version: ProtocolVersion::SSL3, status: RegistryStatus::Iana, reference: "rfc5054" },
    SuiteInfo { suite: CipherSuite(0xC023), iana_name: "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256", openssl_name: Some("ECDHE-ECDSA-AES128-SHA256"), kx: KeyExchange::Ecdhe, auth: Authentication::Ecdsa, cipher: Cipher::Aes, key_bits: 128, mode: CipherMode::Cbc, mac: Mac::Sha256, aead: false, forward_secrecy: true, export: false, min_version: ProtocolVersion::TLS1_2, status: RegistryStatus::Iana, reference: "rfc5289" },
    SuiteInfo { suite: CipherSuite(0xC024), iana_name: "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384", openssl_name: Some("ECDHE-ECDSA-AES256-SHA384"), kx: KeyExchange::Ecdhe, auth: Authentication::Ecdsa, cipher: Cipher::Aes, key_bits: 256, mode: CipherMode::Cbc, mac: Mac::Sha384, aead: false, forward_secrecy: true, export: false, min_version: ProtocolVersion::TLS1_2, status: RegistryStatus::Iana, reference: "rfc5289" },
    SuiteInfo { suite: CipherSuite(0xC025), iana_name: "TLS_ECDH_ECDSA_WITH_AES_128_CBC_SHA256", openssl_name: None, kx: KeyExchange::Ecdh, auth: Authentication::Ecdsa, cipher: Cipher::Aes, key_bits: 128, mode: CipherMode::Cbc, mac: Mac::Sha256, aead: false, forward_secrecy: false, export: false, min_version: ProtocolVersion::TLS1_2, status: RegistryStatus::Iana, reference: "rfc5289" },
    SuiteInfo { suite: CipherSuite(0xC026), iana_name: "TLS_ECDH_ECDSA_WITH_AES_256_CBC_SHA384", openssl_name: None, kx: KeyExchange::Ecdh, auth: Authentication::Ecdsa, cipher: Cipher::Aes, key_bits: 256, mode: CipherMode::Cbc, mac: Mac::Sha384, aead: false, forward_secrecy: false, export: false, min_version: ProtocolVersion::TLS1_2, status: RegistryStatus::Iana, reference: "rfc5289" },
    SuiteInfo { suite: CipherSuite(0xC027), iana_name: "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256", openssl_name: Some("ECDHE-RSA-AES128-SHA256"), kx: KeyExchange::Ecdhe, auth: Authentication::Rsa, cipher: Cipher::Aes, key_bits: 128, mode: CipherMode::Cbc, mac: Mac::Sha256, aead: false, forward_secrecy: true, export: false, min_version: ProtocolVersion::TLS1_2, status: RegistryStatus::Iana, reference: "rfc5289" },
    SuiteInfo { suite: CipherSuite(0xC028), iana_name: "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384", openssl_name: Some("ECDHE-RSA-AES256-SHA384"), kx: KeyExchange::Ecdhe, auth: Authentication::Rsa, cipher: Cipher::Aes, key_bits: 256, mode: CipherMode::Cbc, mac: Mac::Sha384, aead: false, forward_secrecy: true, export: false, min_version: ProtocolVersion::TLS1_2, status: RegistryStatus::Iana, reference: "rfc5289" },
    SuiteInfo { suite: CipherSuite(0xC029), iana_name: "TLS_ECDH_RSA_WITH_AES_128_CBC_SHA256", openssl_name: None, kx: KeyExchange::Ecdh, auth: Authentication::Rsa, cipher: Cipher::Aes, key_bits: 128, mode: CipherMode::Cbc, mac: Mac::Sha256, aead: false, forward_secrecy: false, export: false, min_version: ProtocolVersion::TLS1_2, status: RegistryStatus::Iana, reference: "rfc5289" },
    SuiteInfo { suite: CipherSuite(0xC02A), iana_name: "TLS_ECDH_RSA_WITH_AES_256_CBC_SHA384", openssl_name: None, kx: KeyExchange::Ecdh, auth: Authentication::Rsa, cipher: Cipher::Aes, key_bits: 256, mode: CipherMode::Cbc, mac: Mac::Sha384, aead: false, forward_secrecy: false, export: false, min_version: ProtocolVersion::TLS1_2, status: RegistryStatus::Iana, reference: "rfc5289" },
    SuiteInfo { suite: CipherSuite(0xC02B), iana_name: "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", openssl_name: Some("ECDHE-ECDSA-AES128-GCM-SHA256"), kx: KeyExchange::Ecdhe, auth: Authentication::Ecdsa, cipher: Cipher::Aes, key_bits: 128, mode: CipherMode::Gcm, mac: Mac::Aead, aead: true, forward_secrecy: true, export: false, min_version: ProtocolVersion::TLS1_2, status: RegistryStatus::Iana, reference: "rfc5289" },
    SuiteInfo { suite: CipherSuite(0xC02C), iana_name: "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", openssl_name: Some("ECDHE-ECDSA-AES256-GCM-SHA384"), kx: KeyExchange::Ecdhe, auth: Authentication::Ecdsa, cipher: Cipher::Aes, key_bits: 256, mode: CipherMode::Gcm, mac: Mac::Aead, aead: true, forward_secrecy: true, export: false, min_version: ProtocolVersion::TLS1_2, status: RegistryStatus::Iana, reference: "rfc5289" },
    SuiteInfo { suite: CipherSuite(0xC02D), iana_name: "TLS_ECDH_ECDSA_WITH_AES_128_GCM_SHA256", openssl_name: None, kx: KeyExchange::Ecdh, auth: Authentication::Ecdsa, cipher: Cipher::Aes, key_bits: 128, mode: CipherMode::Gcm, mac: Mac::Aead, aead: true, forward_secrecy: false, export: false, min_version: ProtocolVersion::TLS1_2, status: RegistryStatus::Iana, reference: "rfc5289" },
    SuiteInfo { suite: CipherSuite(0xC02E), iana_name: "TLS_ECDH_ECDSA_WITH_AES_256_GCM_SHA384", openssl_name: None, kx: KeyExchange::Ecdh, auth: Authentication::Ecdsa, cipher: Cipher::Aes, key_bits: 256, mode: CipherMode::Gcm, mac: Mac::Aead, aead: true, forward_secrecy: false, export: false, min_version: ProtocolVersion::TLS1_2, status: RegistryStatus::Iana, reference: "rfc5289" },
    SuiteInfo { suite: CipherSuite(0xC02F), iana_name: "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", openssl_name: Some("ECDHE-RSA-AES128-GCM-SHA256"), kx: KeyExchange::Ecdhe, auth: Authentication::Rsa, cipher: Cipher::Aes, key_bits: 128, mode: CipherMode::Gcm, mac: Mac::Aead, aead: true, forward_secrecy: true, export: false, min_version: ProtocolVersion::TLS1_2, status: RegistryStatus::Iana, reference: "rfc5289" },
    SuiteInfo { suite: CipherSuite(0xC030), iana_name: "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", openssl_name: Some("ECDHE-RSA-AES256-GCM-SHA384"), kx: KeyExchange::Ecdhe, auth: Authentication::Rsa, cipher: Cipher::Aes, key_bits: 256, mode: CipherMode::Gcm, mac: Mac::Aead, aead: true, forward_secrecy: true, export: false, min_version: ProtocolVersion::TLS1_2, status: RegistryStatus::Iana, reference: "rfc5289" },
    SuiteInfo { suite: CipherSuite(0xC031), iana_name: "TLS_ECDH_RSA_WITH_AES_128_GCM_SHA256", openssl_name: None, kx: KeyExchange::Ecdh, auth: Authentication::Rsa, cipher: Cipher::Aes, key_bits: 128, mode: CipherMode::Gcm, mac: Mac::Aead, aead: true, forward_secrecy: false, export: false, min_version: ProtocolVersion::TLS1_2, status: RegistryStatus::Iana, reference: "rfc5289" },
    SuiteInfo { suite: CipherSuite(0xC032), iana_name: "TLS_ECDH_RSA_WITH_AES_256_GCM_SHA384", openssl_name: None, kx: KeyExchange::Ecdh, auth: Authentication::Rsa, cipher: Cipher::Aes, key_bits: 256, mode: CipherMode::Gcm, mac: Mac::Aead, aead: true, forward_secrecy: false, export: false, min_version: ProtocolVersion::TLS1_2, status: RegistryStatus::Iana, reference: "rfc5289" },
    SuiteInfo { suite: CipherSuite(0xC033), iana_name: "TLS_ECDHE_PSK_WITH_RC4_128_SHA", openssl_name: None, kx: KeyExchange::Ecdhe, auth: Authentication::Psk, cipher: Cipher::Rc4, key_bits: 128, mode: CipherMode::Stream, mac: Mac::Sha1, aead: false, forward_secrecy: true, export: false, min_version: ProtocolVersion::TLS1_0, status: RegistryStatus::Iana, reference: "rfc5489,rfc6347" },
    SuiteInfo { suite: CipherSuite(0xC034), iana_name: "TLS_ECDHE_PSK_WITH_3DES_EDE_CBC_SHA", openssl_name: None, kx: KeyExchange::Ecdhe, auth: Authentication::Psk, cipher: Cipher::TripleDes, key_bits: 168, mode: CipherMode::Cbc, mac: Mac::Sha1, aead: false, forward_secrecy: true, export: false, min_version: ProtocolVersion::TLS1_0, status: RegistryStatus::Iana, reference: "rfc5489" },
    SuiteInfo { suite: CipherSuite(0xC035), iana_name: "TLS_ECDHE_PSK_WITH_AES_128_CBC_SHA", openssl_name: Some("ECDHE-PSK-AES128-CBC-SHA"), kx: KeyExchange::Ecdhe, auth: Authentication::Psk, cipher: Cipher::Aes, key_bits: 128, mode: CipherMode::Cbc, mac: Mac::Sha1, aead: false, forward_secrecy: true, export: false, min_version: ProtocolVersion::TLS1_0, status: RegistryStatus::Iana, reference: "rfc5489" },
    SuiteInfo { suite: CipherSuite(0xC036), iana_name: "TLS_ECDHE_PSK_WITH_AES_256_CBC_SHA", openssl_name: Some("ECDHE-PSK-AES256-CBC-SHA"), kx: KeyExchange::Ecdhe, auth: Authentication::Psk, cipher: Cipher::Aes, key_bits: 256, mode: CipherMode::Cbc, mac: Mac::Sha1, aead: false, forward_secrecy: true, export: false, min_version: ProtocolVersion::TLS1_0, status: RegistryStatus::Iana, reference: "rfc5489" },
    SuiteInfo { suite: CipherSuite(0xC037), iana_name: "TLS_ECDHE_PSK_WITH_AES_128_CBC_SHA256", openssl_name: Some("ECDHE-PSK-AES128-CBC-SHA256"), kx: KeyExchange::Ecdhe, auth: Authentication::Psk, cipher: Cipher::Aes, key_bits: 128, mode: CipherMode::Cbc, mac: Mac::Sha256, aead: false, forward_secrecy: true, export: false, min_version: ProtocolVersion::TLS1_0, status: RegistryStatus::Iana, reference: "rfc5489" },
    SuiteInfo { suite: CipherSuite(0xC038), iana_name: "TLS_ECDHE_PSK_WITH_AES_256_CBC_SHA384", openssl_name: Some("ECDHE-PSK-AES256-CBC-SHA384"), kx: KeyExchange::Ecdhe, auth: Authentication::Psk, cipher: Cipher::Aes, key_bits: 256, mode: CipherMode::Cbc, mac: Mac::Sha384, aead: false, forward_secrecy: true, export: false, min_version: ProtocolVersion::TLS1_0, status: RegistryStatus::Iana, reference: "rfc5489" },
    SuiteInfo { suite: CipherSuite(0xC039), iana_name: "TLS_ECDHE_PSK_WITH_NULL_SHA", openssl_name: Some("ECDHE-PSK-NULL-SHA"), kx: KeyExchange::Ecdhe, auth: Authentication::Psk, cipher: Cipher::Null, key_bits: 0, mode: CipherMode::Null, mac: Mac::Sha1, aead: false, forward_secrecy: true, export: false, min_version: ProtocolVersion::TLS1_0, status: RegistryStatus::Iana, reference: "rfc5489" },
    SuiteInfo { suite: CipherSuite(0xC03A), iana_name: "TLS_ECDHE_PSK_WITH_NULL_SHA256", openssl_name: Some("ECDHE-PSK-NULL-SHA256"), kx: KeyExchange::Ecdhe, auth: Authentication::Psk, cipher: Cipher::Null, key_bits: 0, mode: CipherMode::Null, mac: Mac::Sha256, aead: false, forward_secrecy: true, export: false, min_version: ProtocolVersion::TLS1_0, status: RegistryStatus::Iana, reference: "rfc5489" },
    SuiteInfo { suite: CipherSuite(0xC03B), iana_name: "TLS_ECDHE_PSK_WITH_NULL_SHA384", openssl_name: Some("ECDHE-PSK-NULL-SHA384"), kx: KeyExchange::Ecdhe, auth: Authentication::Psk, cipher: Cipher::Null, key_bits: 0, mode: CipherMode::Null, mac: Mac::Sha384, aead: false, forward_secrecy: true, export: false, min_version: ProtocolVersion::TLS1_0, status: RegistryStatus::Iana, reference: "rfc5489" },
    SuiteInfo { suite: CipherSuite(0xC03C), iana_name: "TLS_RSA_WITH_ARIA_128_CBC_SHA256", openssl_name: None, kx: KeyExchange::Rsa, auth: Authentication::Rsa, cipher: Cipher::Aria, key_bits: 128, mode: CipherMode::Cbc, mac: Mac::Sha256, aead: false, forward_secrecy: false, export: false, min_version: ProtocolVersion::TLS1_2, status: RegistryStatus::Iana, reference: "rfc6209" },
    SuiteInfo { suite: CipherSuite(0xC03D), iana_name: "TLS_RSA_WITH_ARIA_256_CBC_SHA384", openssl_name: None, kx: KeyExchange::Rsa, auth: Authentication::Rsa, cipher: Cipher::Aria, key_bits: 256, mode: CipherMode::Cbc, mac: Mac::Sha384, aead: false, forward_secrecy: false, export: false, min_version: ProtocolVersion::TLS1_2, status: RegistryStatus::Iana, reference: "rfc6209" },
    SuiteInfo { suite: CipherSuite(0xC03E), iana_name: "TLS_DH_DSS_WITH_ARIA_128_CBC_SHA256", openssl_name: None, kx: KeyExchange::Dh, auth: Authentication::Dss, cipher: Cipher::Aria, key_bits: 128, mode: CipherMode::Cbc, mac: Mac::Sha256, aead: false, forward_secrecy: false, export: false, min_version: ProtocolVersion::TLS1_2, status: RegistryStatus::Iana, reference: "rfc6209" },
    SuiteInfo { suite: CipherSuite(0xC03F), iana_name: "TLS_DH_DSS_WITH_ARIA_256_CBC_SHA384", openssl_name: None, kx: KeyExchange::Dh, auth: Authentication::Dss, cipher: Cipher::Aria, key_bits: 256, mode: CipherMode::Cbc, mac: Mac::Sha384, aead: false, forward_secrecy: false, export: false, min_version: ProtocolVersion::TLS1_2, status: RegistryStatus::Iana, reference: "rfc6209" },
    SuiteInfo { suite: CipherSuite(0xC040), iana_name: "TLS_DH_RSA_WITH_ARIA_128_CBC_SHA256", openssl_name: None, kx: KeyExchange::Dh, auth: Authentication::Rsa, cipher: Cipher::Aria, key_bits: 128, mode: CipherMode::Cbc, mac: Mac::Sha256, aead: false, forward_secrecy: false, export: false, min_version: ProtocolVersion::TLS1_2, status: RegistryStatus::Iana, reference: "rfc6209" },
    SuiteInfo { suite: CipherSuite(0xC041), iana_name: "TLS_DH_RSA_WITH_ARIA_256_CBC_SHA384", openssl_name: None, kx: KeyExchange::Dh, auth: Authentication::Rsa, cipher: Cipher::Aria, key_bits: 256, mode: CipherMode::Cbc, mac: Mac::Sha384, aead: false, forward_secrecy: false, export: false, min_version: ProtocolVersion::TLS1_2, status: RegistryStatus::Iana, reference: "rfc6209" },
    SuiteInfo { suite: CipherSuite(0xC042), iana_name: "TLS_DHE_DSS_WITH_ARIA_128_CBC_SHA256", openssl_name: None, kx: KeyExchange::Dhe, auth: Authentication::Dss, cipher: Cipher::Aria, key_bits: 128, mode: CipherMode::Cbc, mac: Mac::Sha256, aead: false, forward_secrecy: true, export: false, min_version: ProtocolVersion::TLS1_2, status: RegistryStatus::Iana, reference: "rfc6209" },
    SuiteInfo { suite: CipherSuite(0xC043), iana_name: "TLS_DHE_DSS_WITH_ARIA_256_CBC_SHA384", openssl_name: None, kx: KeyExchange::Dhe, auth: Authentication::Dss, cipher: Cipher::Aria, key_bits: 256, mode: CipherMode::Cbc, mac: Mac::Sha384, aead: false, forward_secrecy: true, export: false, min_version: ProtocolVersion::TLS1_2, status: RegistryStatus::Iana, reference: "rfc6209" },
    SuiteInfo { suite: CipherSuite(0xC044), iana_name: "TLS_DHE_RSA_WITH_ARIA_128_CBC_SHA256", openssl_name: None, kx: KeyExchange::Dhe, auth: Authentication::Rsa, cipher: Cipher::Aria, key_bits: 128, mode: CipherMode::Cbc, mac: Mac::Sha256, aead: false, forward_secrecy: true, export: false, min_version: ProtocolVersion::TLS1_2, status: RegistryStatus::Iana, reference: "rfc6209" },
    SuiteInfo { suite: CipherSuite(0xC045), iana_name: "TLS_DHE_RSA_WITH_ARIA_256_CBC_SHA384", openssl_name: None, kx: KeyExchange::Dhe, auth: Authentication::Rsa, cipher: Cipher::Aria, key_bits: 256, mode: CipherMode::Cbc, mac: Mac::Sha384, aead: false, forward_secrecy: true, export: false, min_version: ProtocolVersion::TLS1_2, status: RegistryStatus::Iana, reference: "rfc6209" },
    SuiteInfo { suite: CipherSuite(0xC046), iana_name: "TLS_DH_anon_WITH_ARIA_128_CBC_SHA256", openssl_name: None, kx: KeyExchange::Dh, auth: Authentication::Anon, cipher: Cipher::Aria, key_bits: 128, mode: CipherMode::Cbc, mac: Mac::Sha256, aead: false, forward_secrecy: false, export: false, min_version: ProtocolVersion::TLS1_2, status: RegistryStatus::Iana, reference: "rfc6209" },
    SuiteInfo { suite: CipherSuite(0xC047), iana_name: "TLS_DH_anon_WITH_ARIA_256_CBC_SHA384", openssl_name: None, kx: KeyExchange::Dh, auth: Authentication::Anon, cipher: Cipher::Aria, key_bits: 256, mode: CipherMode::Cbc, mac: Mac::Sha384, aead: false, forward_secrecy: false, export: false, min_version: ProtocolVersion::TLS1_2, status: RegistryStatus::Iana, reference: "rfc6209" },
    SuiteInfo { suite: CipherSuite(0xC048), iana_name: "TLS_ECDHE_ECDSA_WITH_ARIA_128_CBC_SHA256", openssl_name: None, kx: KeyExchange::Ecdhe, auth: Authentication::Ecdsa, cipher: Cipher::Aria, key_bits: 128, mode: CipherMode::Cbc, mac: Mac::Sha256, aead: false, forward_secrecy: true, export: false, min_version: ProtocolVersion::TLS1_2, status: RegistryStatus::Iana, reference: "rfc6209" },
    SuiteInfo { suite: CipherSuite(0xC049), iana_name: "TLS_ECDHE_ECDSA_WITH_ARIA_256_CBC_SHA384", openssl_name: None, kx: KeyExchange::Ecdhe, auth: Authentication::Ecdsa, cipher: Cipher::Aria, key_bits: 256, mode: CipherMode::Cbc, mac: Mac::Sha384, aead: false, forward_secrecy: true, export: false, min_version: ProtocolVersion::TLS1_2, status: RegistryStatus::Iana, reference: "rfc6209" },
    SuiteInfo { suite: CipherSuite(0xC04A), iana_name: "TLS_ECDH_ECDSA_WITH_ARIA_128_CBC_SHA256", openssl_name: None, kx: KeyExchange::Ecdh, auth: Authentication::Ecdsa, cipher: Cipher::Aria, key_bits: 128, mode: CipherMode::Cbc, mac: Mac::Sha256, aead: false, forward_secrecy: false, export: false, min_version: ProtocolVersion::TLS1_2, status: RegistryStatus::Iana, reference: "rfc6209" },
    SuiteInfo { suite: CipherSuite(0xC04B), iana_name: "TLS_ECDH_ECDSA_WITH_ARIA_256_CBC_SHA384", openssl_name: None, kx: KeyExchange::Ecdh, auth: Authentication::Ecdsa, cipher: Cipher::Aria, key_bits: 256, mode: CipherMode::Cbc, mac: Mac::Sha384, aead: false, forward_secrecy: false, export: false, min_version: ProtocolVersion::TLS1_2, status: RegistryStatus::Iana, reference: "rfc6209" },
    SuiteInfo { suite: CipherSuite(0xC04C), iana_name: "TLS_ECDHE_RSA_WITH_ARIA_128_CBC_SHA256", openssl_name: None, kx: KeyExchange::Ecdhe, auth: Authentication::Rsa, cipher: Cipher::Aria, key_bits: 128, mode: CipherMode::Cbc, mac: Mac::Sha256, aead: false, forward_secrecy: true, export: false, min_version: ProtocolVersion::TLS1_2, status: RegistryStatus::Iana, reference: "rfc6209" },
    SuiteInfo { suite: CipherSuite(0xC04D), iana_name: "TLS_ECDHE_RSA_WITH_ARIA_256_CBC_SHA384", openssl_name: None, kx: KeyExchange::Ecdhe, auth: Authentication::Rsa, cipher: Cipher::Aria, key_bits: 256, mode: CipherMode::Cbc, mac: Mac::Sha384, aead: false, forward_secrecy: true, export: false, min_version: ProtocolVersion::TLS1_2, status: RegistryStatus::Iana, reference: "rfc6209" },
    SuiteInfo { suite: CipherSuite(0xC04E), iana_name: "TLS_ECDH_RSA_WITH_ARIA_128_CBC_SHA256", openssl_name: None, kx: KeyExchange::Ecdh, auth: Authentication::Rsa, cipher: Cipher::Aria, key_bits: 128, mode: CipherMode::Cbc, mac: Mac::Sha256, aead: false, forward_secrecy: false, export: false, min_version: ProtocolVersion::TLS1_2, status: RegistryStatus::Iana, reference: "rfc6209" },
    SuiteInfo { suite: CipherSuite(0xC04F), iana_name: "TLS_ECDH_RSA_WITH_ARIA_256_CBC_SHA384", openssl_name: None, kx: KeyExchange::Ecdh, auth: Authentication::Rsa, cipher: Cipher::Aria, key_bits: 256, mode: CipherMode::Cbc, mac: Mac::Sha384, aead: false, forward_secrecy: false, export: false, min_version: ProtocolVersion::TLS1_2, status: RegistryStatus::Iana, reference: "rfc6209" },
    SuiteInfo { suite: CipherSuite(0xC050), iana_name: "TLS_RSA_WITH_ARIA_128_GCM_SHA256", openssl_name: Some("ARIA128-GCM-SHA256"), kx: KeyExchange::Rsa, auth: Authentication::Rsa, cipher: Cipher::Aria, key_bits: 128, mode: CipherMode::Gcm, mac: Mac::Aead, aead: true, forward_secrecy: false, export: false, min_version: ProtocolVersion::TLS1_2, status: RegistryStatus::Iana, reference: "rfc6209" },
    SuiteInfo { suite: CipherSuite(0xC051), iana_name: "TLS_RSA_WITH_ARIA_256_GCM_SHA384", openssl_name: Some("ARIA256-GCM-SHA384"), kx: KeyExchange::Rsa, auth: Authentication::Rsa, cipher: Cipher::Aria, key_bits: 256, mode: CipherMode::Gcm, mac: Mac::Aead, aead: true, forward_secrecy: false, export: false, min_version: ProtocolVersion::TLS1_2, status: RegistryStatus::Iana, reference: "rfc6209" },
    SuiteInfo { suite: CipherSuite(0xC052), iana_name: "TLS_DHE_RSA_WITH_ARIA_128_GCM_SHA256", openssl_name: Some("DHE-RSA-ARIA128-GCM-SHA256"), kx: KeyExchange::Dhe, auth: Authentication::Rsa, cipher: Cipher::Aria, key_bits: 128, mode: CipherMode::Gcm, mac: Mac::Aead, aead: true, forward_secrecy: true, export: false, min_version: ProtocolVersion::TLS1_2, status: RegistryStatus::Iana, reference: "rfc6209" },
    SuiteInfo { suite: CipherSuite(0xC053), iana_name: "TLS_DHE_RSA_WITH_ARIA_256_GCM_SHA384", openssl_name: Some("DHE-RSA-ARIA256-GCM-SHA384"), kx: KeyExchange::Dhe, auth: Authentication::Rsa, cipher: Cipher::Aria, key_bits: 256, mode: CipherMode::Gcm, mac: Mac::Aead, aead: true, forward_secrecy: true, export: false, min_version: ProtocolVersion::TLS1_2, status: RegistryStatus::Iana, reference: "rfc6209" },
    SuiteInfo { suite: CipherSuite(0xC054), iana_name: "TLS_DH_RSA_WITH_ARIA_128_GCM_SHA256", openssl_name: None, kx: KeyExchange::Dh, auth: Authentication::Rsa, cipher: Cipher::Aria, key_bits: 128, mode: CipherMode::Gcm, mac: Mac::Aead, aead: true, forward_secrecy: false, export: false, min_version: ProtocolVersion::TLS1_2, status: RegistryStatus::Iana, reference: "rfc6209" },
    SuiteInfo { suite: CipherSuite(0xC055), iana_name: "TLS_DH_RSA_WITH_ARIA_256_GCM_SHA384", openssl_name: None, kx: KeyExchange::Dh, auth: Authentication::Rsa, cipher: Cipher::Aria, key_bits: 256, mode: CipherMode::Gcm, mac: Mac::Aead, aead: true, forward_secrecy: false, export: false, min_version: ProtocolVersion::TLS1_2, status: RegistryStatus::Iana, reference: "rfc6209" },
    SuiteInfo { suite: CipherSuite(0xC056), iana_name: "TLS_DHE_DSS_WITH_ARIA_128_GCM_SHA256", openssl_name: Some("DHE-DSS-ARIA128-GCM-SHA256"), kx: KeyExchange::Dhe, auth: Authentication::Dss, cipher: Cipher::Aria, key_bits: 128, mode: CipherMode::Gcm, mac: Mac::Aead, aead: true, forward_secrecy: true, export: false, min_version: ProtocolVersion::TLS1_2, status: RegistryStatus::Iana, reference: "rfc6209" },
    SuiteInfo { suite: CipherSuite(0xC057), iana_name: "TLS_DHE_DSS_WITH_ARIA_256_GCM_SHA384", openssl_name: Some("DHE-DSS-ARIA256-GCM-SHA384"), kx: KeyExchange::Dhe, auth: Authentication::Dss, cipher: Cipher::Aria, key_bits: 256, mode: CipherMode::Gcm, mac: Mac::Aead, aead: true, forward_secrecy: true, export: false, min_version: ProtocolVersion::TLS1_2, status: RegistryStatus::Iana, reference: "rfc6209" },
    SuiteInfo { suite: CipherSuite(0xC058), iana_name: "TLS_DH_DSS_WITH_ARIA_128_GCM_SHA256", openssl_name: None, kx: KeyExchange::Dh, auth: Authentication::Dss, cipher: Cipher::Aria, key_bits: 128, mode: CipherMode::Gcm, mac: Mac::Aead, aead: true, forward_secrecy: false, export: false, min_version: ProtocolVersion::TLS1_2, status: RegistryStatus::Iana, reference: "rfc6209" },
    SuiteInfo { suite: CipherSuite(0xC059), iana_name: "TLS_DH_DSS_WITH_ARIA_256_GCM_SHA384", openssl_name: None, kx: KeyExchange::Dh, auth: Authentication::Dss, cipher: Cipher::Aria, key_bits: 256, mode: CipherMode::Gcm, mac: Mac::Aead, aead: true, forward_secrecy: false, export: false, min_version: ProtocolVersion::TLS1_2, status: RegistryStatus::Iana, reference: "rfc6209" },
    SuiteInfo { suite: CipherSuite(0xC05A), iana_name: "TLS_DH_anon_WITH_ARIA_128_GCM_SHA256", openssl_name: None, kx: KeyExchange::Dh, auth: Authentication::Anon, cipher: Cipher::Aria, key_bits: 128, mode: CipherMode::Gcm, mac: Mac::Aead, aead: true, forward_secrecy: false, export: false, min_version: ProtocolVersion::TLS1_2, status: RegistryStatus::Iana, reference: "rfc6209" },
    SuiteInfo { suite: CipherSuite(0xC05B), iana_name: "TLS_DH_anon_WITH_ARIA_256_GCM_SHA384", openssl_name: None, kx: KeyExchange::Dh, auth: Authentication::Anon, cipher: Cipher::Aria, key_bits: 256, mode: CipherMode::Gcm, mac: Mac::Aead, aead: true, forward_secrecy: false, export: false, min_version: ProtocolVersion::TLS1_2, status: RegistryStatus::Iana, reference: "rfc6209" },
    SuiteInfo { suite: CipherSuite(0xC05C), iana_name: "TLS_ECDHE_ECDSA_WITH_ARIA_128_GCM_SHA256", openssl_name: Some("ECDHE-ECDSA-ARIA128-GCM-SHA256"), kx: KeyExchange::Ecdhe, auth: Authentication::Ecdsa, cipher: Cipher::Aria, key_bits: 128, mode: CipherMode::Gcm, mac: Mac::Aead, aead: true, forward_secrecy: true, export: false, min_version: ProtocolVersion::TLS1_2, status: RegistryStatus::Iana, reference: "rfc6209" },
    SuiteInfo { suite: CipherSuite(0xC05D), iana_name: "TLS_ECDHE_ECDSA_WITH_ARIA_256_GCM_SHA384", openssl_name: Some("ECDHE-ECDSA-ARIA256-GCM-SHA384"), kx: KeyExchange::Ecdhe, auth: Authentication::Ecdsa, cipher: Cipher::Aria, key_bits: 256, mode: CipherMode::Gcm, mac: Mac::Aead, aead: true, forward_secrecy: true, export: false, min_version: ProtocolVersion::TLS1_2, status: RegistryStatus::Iana, reference: "rfc6209" },
    SuiteInfo { suite: CipherSuite(0xC05E), iana_name: "TLS_ECDH_ECDSA_WITH_ARIA_128_GCM_SHA256", openssl_name: None, kx: KeyExchange::Ecdh, auth: Authentication::Ecdsa, cipher: Cipher::Aria, key_bits: 128, mode: CipherMode::Gcm, mac: Mac::Aead, aead: true, forward_secrecy: false, export: false, min_version: ProtocolVersion::TLS1_2, status: RegistryStatus::Iana, reference: "rfc6209" },
    SuiteInfo { suite: CipherSuite(0xC05F), iana_name: "TLS_ECDH_ECDSA_WITH_ARIA_256_GCM_SHA384", openssl_name: None, kx: KeyExchange::Ecdh, auth: Authentication::Ecdsa, cipher: Cipher::Aria, key_bits: 256, mode: CipherMode::Gcm, mac: Mac::Aead, aead: true, forward_secrecy: false, export: false, min_version: ProtocolVersion::TLS1_2, status: RegistryStatus::Iana, reference: "rfc6209" },
    SuiteInfo { suite: CipherSuite(0xC060), iana_name: "TLS_ECDHE_RSA_WITH_ARIA_128_GCM_SHA256", openssl_name: Some("ECDHE-ARIA128-GCM-SHA256"), kx: KeyExchange::Ecdhe, auth: Authentication::Rsa, cipher: Cipher::Aria, key_bits: 128, mode: CipherMode::Gcm, mac: Mac::Aead, aead: true, forward_secrecy: true, export: false, min_version: ProtocolVersion::TLS1_2, status: RegistryStatus::Iana, reference: "rfc6209" },
    SuiteInfo { suite: CipherSuite(0xC061), iana_name: "TLS_ECDHE_RSA_WITH_ARIA_256_GCM_SHA384", openssl_name: Some("ECDHE-ARIA256-GCM-SHA384"), kx: KeyExchange::Ecdhe, auth: Authentication::Rsa, cipher: Cipher::Aria, key_bits: 256, mode: CipherMode::Gcm, mac: Mac::Aead, aead: true, forward_secrecy: true, export: false, min_version: ProtocolVersion::TLS1_2, status: RegistryStatus::Iana, reference: "rfc6209" },
    SuiteInfo { suite: CipherSuite(0xC062), iana_name: "TLS_ECDH_RSA_WITH_ARIA_128_GCM_SHA256", openssl_name: None, kx: KeyExchange::Ecdh, auth: Authentication::Rsa, cipher: Cipher::Aria, key_bits: 128, mode: CipherMode::Gcm, mac: Mac::Aead, aead: true, forward_secrecy: false, export: false, min_version: ProtocolVersion::TLS1_2, status: RegistryStatus::Iana, reference: "rfc6209" },
    SuiteInfo { suite: CipherSuite(0xC063), iana_name: "TLS_ECDH_RSA_WITH_ARIA_256_GCM_SHA384", openssl_name: None, kx: KeyExchange::Ecdh, auth: Authentication::Rsa, cipher: Cipher::Aria, key_bits: 256, mode: CipherMode::Gcm, mac: Mac::Aead, aead: true, forward_secrecy: false, export: false, min_version: ProtocolVersion::TLS1_2, status: RegistryStatus::Iana, reference: "rfc6209" },
    SuiteInfo { suite: CipherSuite(0xC064), iana_name: "TLS_PSK_WITH_ARIA_128_CBC_SHA256", openssl_name: None, kx: KeyExchange::Psk, auth: Authentication::Psk, cipher: Cipher::Aria, key_bits: 128, mode: CipherMode::Cbc, mac: Mac::Sha256, aead: false, forward_secrecy: false, export: false, min_version: ProtocolVersion::TLS1_2, status: RegistryStatus::Iana, reference: "rfc6209" },
    SuiteInfo { suite: CipherSuite(0xC065), iana_name: "TLS_PSK_WITH_ARIA_256_CBC_SHA384", openssl_name: None, kx: KeyExchange::Psk, auth: Authentication::Psk, cipher: Cipher::Aria, key_bits: 256, mode: CipherMode::Cbc, mac: Mac::Sha384, aead: false, forward_secrecy: false, export: false, min_version: ProtocolVersion::TLS1_2, status: RegistryStatus::Iana, reference: "rfc6209" },
    SuiteInfo { suite: CipherSuite(0xC066), iana_name: "TLS_DHE_PSK_WITH_ARIA_128_CBC_SHA256", openssl_name: None, kx: KeyExchange::Dhe, auth: Authentication::Psk, cipher: Cipher::Aria, key_bits: 128, mode: CipherMode::Cbc, mac: Mac::Sha256, aead: false, forward_secrecy: true, export: false, min_version: ProtocolVersion::TLS1_2, status: RegistryStatus::Iana, reference: "rfc6209" },
    SuiteInfo { suite: CipherSuite(0xC067), iana_name: "TLS_DHE_PSK_WITH_ARIA_256_CBC_SHA384", openssl_name: None, kx: KeyExchange::Dhe, auth: Authentication::Psk, cipher: Cipher::Aria, key_bits: 256, mode: CipherMode::Cbc, mac: Mac::Sha384, aead: false, forward_secrecy: true, export: false, min_version: ProtocolVersion::TLS1_2, status: RegistryStatus::Iana, reference: "rfc6209" },
    SuiteInfo { suite: CipherSuite(0xC068), iana_name: "TLS_RSA_PSK_WITH_ARIA_128_CBC_SHA256", openssl_name: None, kx: KeyExchange::Rsa, auth: Authentication::Psk, cipher: Cipher::Aria, key_bits: 128, mode: CipherMode::Cbc, mac: Mac::Sha256, aead: false, forward_secrecy: false, export: false, min_version: ProtocolVersion::TLS1_2, status: RegistryStatus::Iana, reference: "rfc6209" },
    SuiteInfo { suite: CipherSuite(0xC069), iana_name: "TLS_RSA_PSK_WITH_ARIA_256_CBC_SHA384", openssl_name: None, kx: KeyExchange::Rsa, auth: Authentication::Psk, cipher: Cipher::Aria, key_bits: 256, mode: CipherMode::Cbc, mac: Mac::Sha384, aead: false, forward_secrecy: false, export: false, min_version: ProtocolVersion::TLS1_2, status: RegistryStatus::Iana, reference: "rfc6209" },
    SuiteInfo { suite: CipherSuite(0xC06A), iana_name: "TLS_PSK_WITH_ARIA_128_GCM_SHA256", openssl_name: Some("PSK-ARIA128-GCM-SHA256"), kx: KeyExchange::Psk, auth: Authentication::Psk, cipher: Cipher::Aria, key_bits: 128, mode: CipherMode::Gcm, mac: Mac::Aead, aead: true, forward_secrecy: false, export: false, min_version: ProtocolVersion::TLS1_2, status: RegistryStatus::Iana, reference: "rfc6209" },
    SuiteInfo { suite: CipherSuite(0xC06B), iana_name: "TLS_PSK_WITH_ARIA_256_GCM_SHA384", openssl_name: Some("PSK-ARIA256-GCM-SHA384"), kx: KeyExchange::Psk, auth: Authentication::Psk, cipher: Cipher::Aria, key_bits: 256, mode: CipherMode::Gcm, mac: Mac::Aead, aead: true, forward_secrecy: false, export: false, min_version: ProtocolVersion::TLS1_2, status: RegistryStatus::Iana, reference: "rfc6209" },
    SuiteInfo { suite: CipherSuite(0xC06C), iana_name: "TLS_DHE_PSK_WITH_ARIA_128_GCM_SHA256", openssl_name: Some("DHE-PSK-ARIA128-GCM-SHA256"), kx: KeyExchange::Dhe, auth: Authentication::Psk, cipher: Cipher::Aria, key_bits: 128, mode: CipherMode::Gcm, mac: Mac::Aead, aead: true, forward_secrecy: true, export: false, min_version: ProtocolVersion::TLS1_2, status: RegistryStatus::Iana, reference: "rfc6209" },
    SuiteInfo { suite: CipherSuite(0xC06D), iana_name: "TLS_DHE_PSK_WITH_ARIA_256_GCM_SHA384", openssl_name: Some("DHE-PSK-ARIA256-GCM-SHA384"), kx: KeyExchange::Dhe, auth: Authentication::Psk, cipher: Cipher::Aria, key_bits: 256, mode: CipherMode::Gcm, mac: Mac::Aead, aead: true, forward_secrecy: true, export: false, min_version: ProtocolVersion::TLS1_2, status: RegistryStatus::Iana, reference: "rfc6209" },
    SuiteInfo { suite: CipherSuite(0xC06E), iana_name: "TLS_RSA_PSK_WITH_ARIA_128_GCM_SHA256", openssl_name: Some("RSA-PSK-ARIA128-GCM-SHA256"), kx: KeyExchange::Rsa, auth: Authentication::Psk, cipher: Cipher::Aria, key_bits: 128, mode: CipherMode::Gcm, mac: Mac::Aead, aead: true, forward_secrecy: false, export: false, min_version: ProtocolVersion::TLS1_2, status: RegistryStatus::Iana, reference: "rfc6209" },
    SuiteInfo { suite: CipherSuite(0xC06F), iana_name: "TLS_RSA_PSK_WITH_ARIA_256_GCM_SHA384", openssl_name: Some("RSA-PSK-ARIA256-GCM-SHA384"), kx: KeyExchange::Rsa, auth: Authentication::Psk, cipher: Cipher::Aria, key_bits: 256, mode: CipherMode::Gcm, mac: Mac::Aead, aead: true, forward_secrecy: false, export: false, min_version: ProtocolVersion::TLS1_2, status: RegistryStatus::Iana, reference: "rfc6209" },
    SuiteInfo { suite: CipherSuite(0xC070), iana_name: "TLS_ECDHE_PSK_WITH_ARIA_128_CBC_SHA256", openssl_name: None, kx: KeyExchange::Ecdhe, auth: Authentication::Psk, cipher: Cipher::Aria, key_bits: 128, mode: CipherMode::Cbc, mac: Mac::Sha256, aead: false, forward_secrecy: true, export: false, min_version: ProtocolVersion::TLS1_2, status: RegistryStatus::Iana, reference: "rfc6209" },
    SuiteInfo { suite: CipherSuite(0xC071), iana_name: "TLS_ECDHE_PSK_WITH_ARIA_256_CBC_SHA384", openssl_name: None, kx: KeyExchange::Ecdhe, auth: Authentication::Psk, cipher: Cipher::Aria, key_bits: 256, mode: CipherMode::Cbc, mac: Mac::Sha384, aead: false, forward_secrecy: true, export: false, min_version: ProtocolVersion::TLS1_2, status: RegistryStatus::Iana, reference: "rfc6209" },
    SuiteInfo { suite: CipherSuite(0xC072), iana_name: "TLS_ECDHE_ECDSA_WITH_CAMELLIA_128_CBC_SHA256", openssl_name: Some("ECDHE-ECDSA-CAMELLIA128-SHA256"), kx: KeyExchange::Ecdhe, auth: Authentication::Ecdsa, cipher: Cipher::Camellia, key_bits: 128, mode: CipherMode::Cbc, mac: Mac::Sha256, aead: false, forward_secrecy: true, export: false, min_version: ProtocolVersion::TLS1_2, status: RegistryStatus::Iana, reference: "rfc6367" },
    SuiteInfo { suite: CipherSuite(0xC073), iana_name: "TLS_ECDHE_ECDSA_WITH_CAMELLIA_256_CBC_SHA384", openssl_name: Some("ECDHE-ECDSA-CAMELLIA256-SHA384"), kx: KeyExchange::Ecdhe, auth: Authentication::Ecdsa, cipher: Cipher::Camellia, key_bits: 256, mode: CipherMode::Cbc, mac: Mac::Sha384, aead: false, forward_secrecy: true, export: false, min_version: ProtocolVersion::TLS1_2, status: RegistryStatus::Iana, reference: "rfc6367" },
    SuiteInfo { suite: CipherSuite(0xC074), iana_name: "TLS_ECDH_ECDSA_WITH_CAMELLIA_128_CBC_SHA256", openssl_name: None, kx: KeyExchange::Ecdh, auth: Authentication::Ecdsa, cipher: Cipher::Camellia, key_bits: 128, mode: CipherMode::Cbc, mac: Mac::Sha256, aead: false, forward_secrecy: false, export: false, min_version: ProtocolVersion::TLS1_2, status: RegistryStatus::Iana, reference: "rfc6367" },
    SuiteInfo { suite: CipherSuite(0xC075), iana_name: "TLS_ECDH_ECDSA_WITH_CAMELLIA_256_CBC_SHA384", openssl_name: None, kx: KeyExchange::Ecdh, auth: Authentication::Ecdsa, cipher: Cipher::Camellia, key_bits: 256, mode: CipherMode::Cbc, mac: Mac::Sha384, aead: false, forward_secrecy: false, export: false, min_version: ProtocolVersion::TLS1_2, status: RegistryStatus::Iana, reference: "rfc6367" },
    SuiteInfo { suite: CipherSuite(0xC076), iana_name: "TLS_ECDHE_RSA_WITH_CAMELLIA_128_CBC_SHA256", openssl_name: Some("ECDHE-RSA-CAMELLIA128-SHA256"), kx: KeyExchange::Ecdhe, auth: Authentication::Rsa, cipher: Cipher::Camellia, key_bits: 128, mode: CipherMode::Cbc, mac: Mac::Sha256, aead: false, forward_secrecy: true, export: false, min_version: ProtocolVersion::TLS1_2, status: RegistryStatus::Iana, reference: "rfc6367" },
    SuiteInfo { suite: CipherSuite(0xC077), iana_name: "TLS_ECDHE_RSA_WITH_CAMELLIA_256_CBC_SHA384", openssl_name: Some("ECDHE-RSA-CAMELLIA256-SHA384"), kx: KeyExchange::Ecdhe, auth: Authentication::Rsa, cipher: Cipher::Camellia, key_bits: 256, mode: CipherMode::Cbc, mac: Mac::Sha384, aead: false, forward_secrecy: true, export: false, min_version: ProtocolVersion::TLS1_2, status: RegistryStatus::Iana, reference: "rfc6367" },
    SuiteInfo { suite: CipherSuite(0xC078), iana_name: "TLS_ECDH_RSA_WITH_CAMELLIA_128_CBC_SHA256", openssl_name: None, kx: KeyExchange::Ecdh, auth: Authentication::Rsa, cipher: Cipher::Camellia, key_bits: 128, mode: CipherMode::Cbc, mac: Mac::Sha256, aead: false, forward_secrecy: false, export: false, min_version: ProtocolVersion::TLS1_2, status: RegistryStatus::Iana, reference: "rfc6367" },
    SuiteInfo { suite: CipherSuite(0xC079), iana_name: "TLS_ECDH_RSA_WITH_CAMELLIA_256_CBC_SHA384", openssl_name: None, kx: KeyExchange::Ecdh, auth: Authentication::Rsa, cipher: Cipher::Camellia, key_bits: 256, mode: CipherMode::Cbc, mac: Mac::Sha384, aead: false, forward_secrecy: false, export: false, min_version: ProtocolVersion::TLS1_2, status: RegistryStatus::Iana, reference: "rfc6367" },
    SuiteInfo { suite: CipherSuite(0xC07A), iana_name: "TLS_RSA_WITH_CAMELLIA_128_GCM_SHA256", openssl_name: None, kx: KeyExchange::Rsa, auth: Authentication::Rsa, cipher: Cipher::Camellia, key_bits: 128, mode: CipherMode::Gcm, mac: Mac::Aead, aead: true, forward_secrecy: false, export: false, min_version: ProtocolVersion::TLS1_2, status: RegistryStatus::Iana, reference: "rfc6367" },
    SuiteInfo { suite: CipherSuite(0xC07B), iana_name: "TLS_RSA_WITH_CAMELLIA_256_GCM_SHA384", openssl_name: None, kx: KeyExchange::Rsa, auth: Authentication::Rsa, cipher: Cipher::Camellia, key_bits: 256, mode: CipherMode::Gcm, mac: Mac::Aead, aead: true, forward_secrecy: false, export: false, min_version: ProtocolVersion::TLS1_2, status: RegistryStatus::Iana, reference: "rfc6367" },
    SuiteInfo { suite: CipherSuite(0xC07C), iana_name: "TLS_DHE_RSA_WITH_CAMELLIA_128_GCM_SHA256", openssl_name: None, kx: KeyExchange::Dhe, auth: Authentication::Rsa, cipher: Cipher::Camellia, key_bits: 128, mode: CipherMode::Gcm, mac: Mac::Aead, aead: true, forward_secrecy: true, export: false, min_version: ProtocolVersion::TLS1_2, status: RegistryStatus::Iana, reference: "rfc6367" },
    SuiteInfo { suite: CipherSuite(0xC07D), iana_name: "TLS_DHE_RSA_WITH_CAMELLIA_256_GCM_SHA384", openssl_name: None, kx: KeyExchange::Dhe, auth: Authentication::Rsa, cipher: Cipher::Camellia, key_bits: 256, mode: CipherMode::Gcm, mac: Mac::Aead, aead: true, forward_secrecy: true, export: false, min_version: ProtocolVersion::TLS1_2, status: RegistryStatus::Iana, reference: "rfc6367" },
    SuiteInfo { suite: CipherSuite(0xC07E), iana_name: "TLS_DH_RSA_WITH_CAMELLIA_128_GCM_SHA256", openssl_name: None, kx: KeyExchange::Dh, auth: Authentication::Rsa, cipher: Cipher::Camellia, key_bits: 128, mode: CipherMode::Gcm, mac: Mac::Aead, aead: true, forward_secrecy: false, export: false, min_version: ProtocolVersion::TLS1_2, status: RegistryStatus::Iana, reference: "rfc6367" },
    SuiteInfo { suite: CipherSuite(0xC07F), iana_name: "TLS_DH_RSA_WITH_CAMELLIA_256_GCM_SHA384", openssl_name: None, kx: KeyExchange::Dh, auth: Authentication::Rsa, cipher: Cipher::Camellia, key_bits: 256, mode: CipherMode::Gcm, mac: Mac::Aead, aead: true, forward_secrecy: false, export: false, min_version: ProtocolVersion::TLS1_2, status: RegistryStatus::Iana, reference: "rfc6367" },
    SuiteInfo { suite: CipherSuite(0xC080), iana_name: "TLS_DHE_DSS_WITH_CAMELLIA_128_GCM_SHA256", openssl_name: None, kx: KeyExchange::Dhe, auth: Authentication::Dss, cipher: Cipher::Camellia, key_bits: 128, mode: CipherMode::Gcm, mac: Mac::Aead, aead: true, forward_secrecy: true, export: false, min_version: ProtocolVersion::TLS1_2, status: RegistryStatus::Iana, reference: "rfc6367" },
    SuiteInfo { suite: CipherSuite(0xC081), iana_name: "TLS_DHE_DSS_WITH_CAMELLIA_256_GCM_SHA384", openssl_name: None, kx: KeyExchange::Dhe, auth: Authentication::Dss, cipher: Cipher::Camellia, key_bits: 256, mode: CipherMode::Gcm, mac: Mac::Aead, aead: true, forward_secrecy: true, export: false, min_version: ProtocolVersion::TLS1_2, status: RegistryStatus::Iana, reference: "rfc6367" },
    SuiteInfo { suite: CipherSuite(0xC082), iana_name: "TLS_DH_DSS_WITH_CAMELLIA_128_GCM_SHA256", openssl_name: None, kx: KeyExchange::Dh, auth: Authentication::Dss, cipher: Cipher::Camellia, key_bits: 128, mode: CipherMode::Gcm, mac: Mac::Aead, aead: true, forward_secrecy: false, export: false, min_version: ProtocolVersion::TLS1_2, status: RegistryStatus::Iana, reference: "rfc6367" },
    SuiteInfo { suite: CipherSuite(0xC083), iana_name: "TLS_DH_DSS_WITH_CAMELLIA_256_GCM_SHA384", openssl_name: None, kx: KeyExchange::Dh, auth: Authentication::Dss, cipher: Cipher::Camellia, key_bits: 256, mode: CipherMode::Gcm, mac: Mac::Aead, aead: true, forward_secrecy: false, export: false, min_version: ProtocolVersion::TLS1_2, status: RegistryStatus::Iana, reference: "rfc6367" },
    SuiteInfo { suite: CipherSuite(0xC084), iana_name: "TLS_DH_anon_WITH_CAMELLIA_128_GCM_SHA256", openssl_name: None, kx: KeyExchange::Dh, auth: Authentication::Anon, cipher: Cipher::Camellia, key_bits: 128, mode: CipherMode::Gcm, mac: Mac::Aead, aead: true, forward_secrecy: false, export: false, min_version: ProtocolVersion::TLS1_2, status: RegistryStatus::Iana, reference: "rfc6367" },
    SuiteInfo { suite: CipherSuite(0xC085), iana_name: "TLS_DH_anon_WITH_CAMELLIA_256_GCM_SHA384", openssl_name: None, kx: KeyExchange::Dh, auth: Authentication::Anon, cipher: Cipher::Camellia, key_bits: 256, mode: CipherMode::Gcm, mac: Mac::Aead, aead: true, forward_secrecy: false, export: false, min_version: ProtocolVersion::TLS1_2, status: RegistryStatus::Iana, reference: "rfc6367" },
    SuiteInfo { suite: CipherSuite(0xC086), iana_name: "TLS_ECDHE_ECDSA_WITH_CAMELLIA_128_GCM_SHA256", openssl_name: None, kx: KeyExchange::Ecdhe, auth: Authentication::Ecdsa, cipher: Cipher::Camellia, key_bits: 128, mode: CipherMode::Gcm, mac: Mac::Aead, aead: true, forward_secrecy: true, export: false, min_version: ProtocolVersion::TLS1_2, status: RegistryStatus::Iana, reference: "rfc6367" },
    SuiteInfo { suite: CipherSuite(0xC087), iana_name: "TLS_ECDHE_ECDSA_WITH_CAMELLIA_256_GCM_SHA384", openssl_name: None, kx: KeyExchange::Ecdhe, auth: Authentication::Ecdsa, cipher: Cipher::Camellia, key_bits: 256, mode: CipherMode::Gcm, mac: Mac::Aead, aead: true, forward_secrecy: true, export: false, min_version: ProtocolVersion::TLS1_2, status: RegistryStatus::Iana, reference: "rfc6367" },
    SuiteInfo { suite: CipherSuite(0xC088), iana_name: "TLS_ECDH_ECDSA_WITH_CAMELLIA_128_GCM_SHA256", openssl_name: None, kx: KeyExchange::Ecdh, auth: Authentication::Ecdsa, cipher: Cipher::Camellia, key_bits: 128, mode: CipherMode::Gcm, mac: Mac::Aead, aead: true, forward_secrecy: false, export: false, min_version: ProtocolVersion::TLS1_2, status: RegistryStatus::Iana, reference: "rfc6367" },
    SuiteInfo { suite: CipherSuite(0xC089), iana_name: "TLS_ECDH_ECDSA_WITH_CAMELLIA_256_GCM_SHA384", openssl_name: None, kx: KeyExchange::Ecdh, auth: Authentication::Ecdsa, cipher: Cipher::Camellia, key_bits: 256, mode: CipherMode::Gcm, mac: Mac::Aead, aead: true, forward_secrecy: false, export: false, min_version: ProtocolVersion::TLS1_2, status: RegistryStatus::Iana, reference: "rfc6367" },
    SuiteInfo { suite: CipherSuite(0xC08A), iana_name: "TLS_ECDHE_RSA_WITH_CAMELLIA_128_GCM_SHA256", openssl_name: None, kx: KeyExchange::Ecdhe, auth: Authentication::Rsa, cipher: Cipher::Camellia, key_bits: 128, mode: CipherMode::Gcm, mac: Mac::Aead, aead: true, forward_secrecy: true, export: false, min_version: ProtocolVersion::TLS1_2, status: RegistryStatus::Iana, reference: "rfc6367" },
    SuiteInfo { suite: CipherSuite(0xC08B), iana_name: "TLS_ECDHE_RSA_WITH_CAMELLIA_256_GCM_SHA384", openssl_name: None, kx: KeyExchange::Ecdhe, auth: Authentication::Rsa, cipher: Cipher::Camellia, key_bits: 256, mode: CipherMode::Gcm, mac: Mac::Aead, aead: true, forward_secrecy: true, export: false, min_version: ProtocolVersion::TLS1_2, status: RegistryStatus::Iana, reference: "rfc6367" },
    SuiteInfo { suite: CipherSuite(0xC08C), iana_name: "TLS_ECDH_RSA_WITH_CAMELLIA_128_GCM_SHA256", openssl_name: None, kx: KeyExchange::Ecdh, auth: Authentication::Rsa, cipher: Cipher::Camellia, key_bits: 128, mode: CipherMode::Gcm, mac: Mac::Aead, aead: true, forward_secrecy: false, export: false, min_version: ProtocolVersion::TLS1_2, status: RegistryStatus::Iana, reference: "rfc6367" },
    SuiteInfo { suite: CipherSuite(0xC08D), iana_name: "TLS_ECDH_RSA_WITH_CAMELLIA_256_GCM_SHA384", openssl_name: None, kx: KeyExchange::Ecdh, auth: Authentication::Rsa, cipher: Cipher::Camellia, key_bits: 256, mode: CipherMode::Gcm, mac: Mac::Aead, aead: true, forward_secrecy: false, export: false, min_version: ProtocolVersion::TLS1_2, status: RegistryStatus::Iana, reference: "rfc6367" },
    SuiteInfo { suite: CipherSuite(0xC08E), iana_name: "TLS_PSK_WITH_CAMELLIA_128_GCM_SHA256", openssl_name: None, kx: KeyExchange::Psk, auth: Authentication::Psk, cipher: Cipher::Camellia, key_bits: 128, mode: CipherMode::Gcm, mac: Mac::Aead, aead: true, forward_secrecy: false, export: false, min_version: ProtocolVersion::TLS1_2, status: RegistryStatus::Iana, reference: "rfc6367" },
    SuiteInfo { suite: CipherSuite(0xC08F), iana_name: "TLS_PSK_WITH_CAMELLIA_256_GCM_SHA384", openssl_name: None, kx: KeyExchange::Psk, auth: Authentication::Psk, cipher: Cipher::Camellia, key_bits: 256, mode: CipherMode::Gcm, mac: Mac::Aead, aead: true, forward_secrecy: false, export: false, min_version: ProtocolVersion::TLS1_2, status: RegistryStatus::Iana, reference: "rfc6367" },
    SuiteInfo { suite: CipherSuite(0xC090), iana_name: "TLS_DHE_PSK_WITH_CAMELLIA_128_GCM_SHA256", openssl_name: None, kx: KeyExchange::Dhe, auth: Authentication::Psk, cipher: Cipher::Camellia, key_bits: 128, mode: CipherMode::Gcm, mac: Mac::Aead, aead: true, forward_secrecy: true, export: false, min_version: ProtocolVersion::TLS1_2, status: RegistryStatus::Iana, reference: "rfc6367" },
    SuiteInfo { suite: CipherSuite(0xC091), iana_name: "TLS_DHE_PSK_WITH_CAMELLIA_256_GCM_SHA384", openssl_name: None, kx: KeyExchange::Dhe, auth: Authentication::Psk, cipher: Cipher::Camellia, key_bits: 256, mode: CipherMode::Gcm, mac: Mac::Aead, aead: true, forward_secrecy: true, export: false, min_version: ProtocolVersion::TLS1_2, status: RegistryStatus::Iana, reference: "rfc6367" },
    SuiteInfo { suite: CipherSuite(0xC092), iana_name: "TLS_RSA_PSK_WITH_CAMELLIA_128_GCM_SHA256", openssl_name: None, kx: KeyExchange::Rsa, auth: Authentication::Psk, cipher: Cipher::Camellia, key_bits: 128, mode: CipherMode::Gcm, mac: Mac::Aead, aead: true, forward_secrecy: false, export: false, min_version: ProtocolVersion::TLS1_2, status: RegistryStatus::Iana, reference: "rfc6367" },
    SuiteInfo { suite: CipherSuite(0xC093), iana_name: "TLS_RSA_PSK_WITH_CAMELLIA_256_GCM_SHA384", openssl_name: None, kx: KeyExchange::Rsa, auth: Authentication::Psk, cipher: Cipher::Camellia, key_bits: 256, mode: CipherMode::Gcm, mac: Mac::Aead, aead: true, forward_secrecy: false, export: false, min_version: ProtocolVersion::TLS1_2, status: RegistryStatus::Iana, reference: "rfc6367" },
    SuiteInfo { suite: CipherSuite(0xC094), iana_name: "TLS_PSK_WITH_CAMELLIA_128_CBC_SHA256", openssl_name: Some("PSK-CAMELLIA128-SHA256"), kx: KeyExchange::Psk, auth: Authentication::Psk, cipher: Cipher::Camellia, key_bits: 128, mode: CipherMode::Cbc, mac: Mac::Sha256, aead: false, forward_secrecy: false, export: false, min_version: ProtocolVersion::TLS1_0, status: RegistryStatus::Iana, reference: "rfc6367" },
    SuiteInfo { suite: CipherSuite(0xC095), iana_name: "TLS_PSK_WITH_CAMELLIA_256_CBC_SHA384", openssl_name: Some("PSK-CAMELLIA256-SHA384"), kx: KeyExchange::Psk, auth: Authentication::Psk, cipher: Cipher::Camellia, key_bits: 256, mode: CipherMode::Cbc, mac: Mac::Sha384, aead: false, forward_secrecy: false, export: false, min_version: ProtocolVersion::TLS1_0, status: RegistryStatus::Iana, reference: "rfc6367" },
    SuiteInfo { suite: CipherSuite(0xC096), iana_name: "TLS_DHE_PSK_WITH_CAMELLIA_128_CBC_SHA256", openssl_name: Some("DHE-PSK-CAMELLIA128-SHA256"), kx: KeyExchange::Dhe, auth: Authentication::Psk, cipher: Cipher::Camellia, key_bits: 128, mode: CipherMode::Cbc, mac: Mac::Sha256, aead: false, forward_secrecy: true, export: false, min_version: ProtocolVersion::TLS1_0, status: RegistryStatus::Iana, reference: "rfc6367" },
    SuiteInfo { suite: CipherSuite(0xC097), iana_name: "TLS_DHE_PSK_WITH_CAMELLIA_256_CBC_SHA384", openssl_name: Some("DHE-PSK-CAMELLIA256-SHA384"), kx: KeyExchange::Dhe, auth: Authentication::Psk, cipher: Cipher::Camellia, key_bits: 256, mode: CipherMode::Cbc, mac: Mac::Sha384, aead: false, forward_secrecy: true, export: false, min_version: ProtocolVersion::TLS1_0, status: RegistryStatus::Iana, reference: "rfc6367" },
    SuiteInfo { suite: CipherSuite(0xC098), iana_name: "TLS_RSA_PSK_WITH_CAMELLIA_128_CBC_SHA256", openssl_name: Some("RSA-PSK-CAMELLIA128-SHA256"), kx: KeyExchange::Rsa, auth: Authentication::Psk, cipher: Cipher::Camellia, key_bits: 128, mode: CipherMode::Cbc, mac: Mac::Sha256, aead: false, forward_secrecy: false, export: false, min_version: ProtocolVersion::TLS1_0, status: RegistryStatus::Iana, reference: "rfc6367" },
    SuiteInfo { suite: CipherSuite(0xC099), iana_name: "TLS_RSA_PSK_WITH_CAMELLIA_256_CBC_SHA384", openssl_name: Some("RSA-PSK-CAMELLIA256-SHA384"), kx: KeyExchange::Rsa, auth: Authentication::Psk, cipher: Cipher::Camellia, key_bits: 256, mode: CipherMode::Cbc, mac: Mac::Sha384, aead: false, forward_secrecy: false, export: false, min_version: ProtocolVersion::TLS1_0, status: RegistryStatus::Iana, reference: "rfc6367" },
    SuiteInfo { suite: CipherSuite(0xC09A), iana_name: "TLS_ECDHE_PSK_WITH_CAMELLIA_128_CBC_SHA256", openssl_name: Some("ECDHE-PSK-CAMELLIA128-SHA256"), kx: KeyExchange::Ecdhe, auth: Authentication::Psk, cipher: Cipher::Camellia, key_bits: 128, mode: CipherMode::Cbc, mac: Mac::Sha256, aead: false, forward_secrecy: true, export: false, min_version: ProtocolVersion::TLS1_0, status: RegistryStatus::Iana, reference: "rfc6367" },
    SuiteInfo { suite: CipherSuite(0xC09B), iana_name: "TLS_ECDHE_PSK_WITH_CAMELLIA_256_CBC_SHA384", openssl_name: Some("ECDHE-PSK-CAMELLIA256-SHA384"), kx: KeyExchange::Ecdhe, auth: Authentication::Psk, cipher: Cipher::Camellia, key_bits: 256, mode: CipherMode::Cbc, mac: Mac::Sha384, aead: false, forward_secrecy: true, export: false, min_version: ProtocolVersion::TLS1_0, status: RegistryStatus::Iana, reference: "rfc6367" },
    SuiteInfo { suite: CipherSuite(0xC09C), iana_name: "TLS_RSA_WITH_AES_128_CCM", openssl_name: Some("AES128-CCM"), kx: KeyExchange::Rsa, auth: Authentication::Rsa, cipher: Cipher::Aes, key_bits: 128, mode: CipherMode::Ccm, mac: Mac::Aead, aead: true, forward_secrecy: false, export: false, min_version: ProtocolVersion::TLS1_2, status: RegistryStatus::Iana, reference: "rfc6655" },
    SuiteInfo { suite: CipherSuite(0xC09D), iana_name: "TLS_RSA_WITH_AES_256_CCM", openssl_name: Some("AES256-CCM"), kx: KeyExchange::Rsa, auth: Authentication::Rsa, cipher: Cipher::Aes, key_bits: 256, mode: CipherMode::Ccm, mac: Mac::Aead, aead: true, forward_secrecy: false, export: false, min_version: ProtocolVersion::TLS1_2, status: RegistryStatus::Iana, reference: "rfc6655" },
    SuiteInfo { suite: CipherSuite(0xC09E), iana_name: "TLS_DHE_RSA_WITH_AES_128_CCM", openssl_name: Some("DHE-RSA-AES128-CCM"), kx: KeyExchange::Dhe, auth: Authentication::Rsa, cipher: Cipher::Aes, key_bits: 128, mode: CipherMode::Ccm, mac: Mac::Aead, aead: true, forward_secrecy: true, export: false, min_version: ProtocolVersion::TLS1_2, status: RegistryStatus::Iana, reference: "rfc6655" },
    SuiteInfo { suite: CipherSuite(0xC09F), iana_name: "TLS_DHE_RSA_WITH_AES_256_CCM", openssl_name: Some("DHE-RSA-AES256-CCM"), kx: KeyExchange::Dhe, auth: Authentication::Rsa, cipher: Cipher::Aes, key_bits: 256, mode: CipherMode::Ccm, mac: Mac::Aead, aead: true, forward_secrecy: true, export: false, min_version: ProtocolVersion::TLS1_2, status: RegistryStatus::Iana, reference: "rfc6655" },
    SuiteInfo { suite: CipherSuite(0xC0A0), iana_name: "TLS_RSA_WITH_AES_128_CCM_8", openssl_name: Some("AES128-CCM8"), kx: KeyExchange::Rsa, auth: Authentication::Rsa, cipher: Cipher::Aes, key_bits: 128, mode: CipherMode::Ccm8, mac: Mac::Aead, aead: true, forward_secrecy: false, export: false, min_version: ProtocolVersion::TLS1_2, status: RegistryStatus::Iana, reference: "rfc6655" },
    SuiteInfo { suite: CipherSuite(0xC0A1), iana_name: "TLS_RSA_WITH_AES_256_CCM_8", openssl_name: Some("AES256-CCM8"), kx: KeyExchange::Rsa, auth: Authentication::Rsa, cipher: Cipher::Aes, key_bits: 256, mode: CipherMode::Ccm8, mac: Mac::Aead, aead: true, forward_secrecy: false, export: false, min_version: ProtocolVersion::TLS1_2, status: RegistryStatus::Iana, reference: "rfc6655" },
    SuiteInfo { suite: CipherSuite(0xC0A2), iana_name: "TLS_DHE_RSA_WITH_AES_128_CCM_8", openssl_name: Some("DHE-RSA-AES128-CCM8"), kx: KeyExchange::Dhe, auth: Authentication::Rsa, cipher: Cipher::Aes, key_bits: 128, mode: CipherMode::Ccm8, mac: Mac::Aead, aead: true, forward_secrecy: true, export: false, min_version: ProtocolVersion::TLS1_2, status: RegistryStatus::Iana, reference: "rfc6655" },
    SuiteInfo { suite: CipherSuite(0xC0A3), iana_name: "TLS_DHE_RSA_WITH_AES_256_CCM_8", openssl_name: Some("DHE-RSA-AES256-CCM8"), kx: KeyExchange::Dhe, auth: Authentication::Rsa, cipher: Cipher::Aes, key_bits: 256, mode: CipherMode::Ccm8, mac: Mac::Aead, aead: true, forward_secrecy: true, export: false, min_version: ProtocolVersion::TLS1_2, status: RegistryStatus::Iana, reference: "rfc6655" },
    SuiteInfo { suite: CipherSuite(0xC0A4), iana_name: "TLS_PSK_WITH_AES_128_CCM", openssl_name: Some("PSK-AES128-CCM"), kx: KeyExchange::Psk, auth: Authentication::Psk, cipher: Cipher::Aes, key_bits: 128, mode: CipherMode::Ccm, mac: Mac::Aead, aead: true, forward_secrecy: false, export: false, min_version: ProtocolVersion::TLS1_2, status: RegistryStatus::Iana, reference: "rfc6655" },
    SuiteInfo { suite: CipherSuite(0xC0A5), iana_name: "TLS_PSK_WITH_AES_256_CCM", openssl_name: Some("PSK-AES256-CCM"), kx: KeyExchange::Psk, auth: Authentication::Psk, cipher: Cipher::Aes, key_bits: 256, mode: CipherMode::Ccm, mac: Mac::Aead, aead: true, forward_secrecy: false, export: false, min_version: ProtocolVersion::TLS1_2, status: RegistryStatus::Iana, reference: "rfc6655" },
    SuiteInfo { suite: CipherSuite(0xC0A6), iana_name: "TLS_DHE_PSK_WITH_AES_128_CCM", openssl_name: Some("DHE-PSK-AES128-CCM"), kx: KeyExchange::Dhe, auth: Authentication::Psk, cipher: Cipher::Aes, key_bits: 128, mode: CipherMode::Ccm, mac: Mac::Aead, aead: true, forward_secrecy: true, export: false, min_version: ProtocolVersion::TLS1_2, status: RegistryStatus::Iana, reference: "rfc6655" },
    SuiteInfo { suite: CipherSuite(0xC0A7), iana_name: "TLS_DHE_PSK_WITH_AES_256_CCM", openssl_name: Some("DHE-PSK-AES256-CCM"), kx: KeyExchange::Dhe, auth: Authentication::Psk, cipher: Cipher::Aes, key_bits: 256, mode: CipherMode::Ccm, mac: Mac::Aead, aead: true, forward_secrecy: true, export: false, min_version: ProtocolVersion::TLS1_2, status: RegistryStatus::Iana, reference: "rfc6655" },
    SuiteInfo { suite: CipherSuite(0xC0A8), iana_name: "TLS_PSK_WITH_AES_128_CCM_8", openssl_name: Some("PSK-AES128-CCM8"), kx: KeyExchange::Psk, auth: Authentication::Psk, cipher: Cipher::Aes, key_bits: 128, mode: CipherMode::Ccm8, mac: Mac::Aead, aead: true, forward_secrecy: false, export: false, min_version: ProtocolVersion::TLS1_2, status: RegistryStatus::Iana, reference: "rfc6655" },
    SuiteInfo { suite: CipherSuite(0xC0A9), iana_name: "TLS_PSK_WITH_AES_256_CCM_8", openssl_name: Some("PSK-AES256-CCM8"), kx: KeyExchange::Psk, auth: Authentication::Psk, cipher: Cipher::Aes, key_bits: 256, mode: CipherMode::Ccm8, mac: Mac::Aead, aead: true, forward_secrecy: false, export: false, min_version: ProtocolVersion::TLS1_2, status: RegistryStatus::Iana, reference: "rfc6655" },
    SuiteInfo { suite: CipherSuite(0xC0AA), iana_name: "TLS_PSK_DHE_WITH_AES_128_CCM_8", openssl_name: Some("DHE-PSK-AES128-CCM8"), kx: KeyExchange::Dhe, auth: Authentication::Psk, cipher: Cipher::Aes, key_bits: 128, mode: CipherMode::Ccm8, mac: Mac::Aead, aead: true, forward_secrecy: true, export: false, min_version: ProtocolVersion::TLS1_2, status: RegistryStatus::Iana, reference: "rfc6655" },
    SuiteInfo { suite: CipherSuite(0xC0AB), iana_name: "TLS_PSK_DHE_WITH_AES_256_CCM_8", openssl_name: Some("DHE-PSK-AES256-CCM8"), kx: KeyExchange::Dhe, auth: Authentication::Psk, cipher: Cipher::Aes, key_bits: 256, mode: CipherMode::Ccm8, mac: Mac::Aead, aead: true, forward_secrecy: true, export: false, min_version: ProtocolVersion::TLS1_2, status: RegistryStatus::Iana, reference: "rfc6655" },
    SuiteInfo { suite: CipherSuite(0xC0AC), iana_name: "TLS_ECDHE_ECDSA_WITH_AES_128_CCM", openssl_name: Some("ECDHE-ECDSA-AES128-CCM"), kx: KeyExchange::Ecdhe, auth: Authentication::Ecdsa, cipher: Cipher::Aes, key_bits: 128, mode: CipherMode::Ccm, mac: Mac::Aead, aead: true, forward_secrecy: true, export: false, min_version: ProtocolVersion::TLS1_2, status: RegistryStatus::Iana, reference: "rfc7251" },
    SuiteInfo { suite: CipherSuite(0xC0AD), iana_name: "TLS_ECDHE_ECDSA_WITH_AES_256_CCM", openssl_name: Some("ECDHE-ECDSA-AES256-CCM"), kx: KeyExchange::Ecdhe, auth: Authentication::Ecdsa, cipher: Cipher::Aes, key_bits: 256, mode: CipherMode::Ccm, mac: Mac::Aead, aead: true, forward_secrecy: true, export: false, min_version: ProtocolVersion::TLS1_2, status: RegistryStatus::Iana, reference: "rfc7251" },
    SuiteInfo { suite: CipherSuite(0xC0AE), iana_name: "TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8", openssl_name: Some("ECDHE-ECDSA-AES128-CCM8"), kx: KeyExchange::Ecdhe, auth: Authentication::Ecdsa, cipher: Cipher::Aes, key_bits: 128, mode: CipherMode::Ccm8, mac: Mac::Aead, aead: true, forward_secrecy: true, export: false, min_version: ProtocolVersion::TLS1_2, status: RegistryStatus::Iana, reference: "rfc7251" },
    SuiteInfo { suite: CipherSuite(0xC0AF), iana_name: "TLS_ECDHE_ECDSA_WITH_AES_256_CCM_8", openssl_name: Some("ECDHE-ECDSA-AES256-CCM8"), kx: KeyExchange::Ecdhe, auth: Authentication::Ecdsa, cipher: Cipher::Aes, key_bits: 256, mode: CipherMode::Ccm8, mac: Mac::Aead, aead: true, forward_secrecy: true, export: false, min_version: ProtocolVersion::TLS1_2, status: RegistryStatus::Iana, reference: "rfc7251" },
    SuiteInfo { suite: CipherSuite(0xC0B0), iana_name: "TLS_ECCPWD_WITH_AES_128_GCM_SHA256", openssl_name: None, kx: KeyExchange::Eccpwd, auth: Authentication::Eccpwd, cipher: Cipher::Aes, key_bits: 128, mode: CipherMode::Gcm, mac: Mac::Aead, aead: true, forward_secrecy: true, export: false, min_version: ProtocolVersion::TLS1_2, status: RegistryStatus::Iana, reference: "rfc8492" },
    SuiteInfo { suite: CipherSuite(0xC0B1), iana_name: "TLS_ECCPWD_WITH_AES_256_GCM_SHA384", openssl_name: None, kx: KeyExchange::Eccpwd, auth: Authentication::Eccpwd, cipher: Cipher::Aes, key_bits: 256, mode: CipherMode::Gcm, mac: Mac::Aead, aead: true, forward_secrecy: true, export: false, min_version: ProtocolVersion::TLS1_2, status: RegistryStatus::Iana, reference: "rfc8492" },
    SuiteInfo { suite: CipherSuite(0xC0B2), iana_name: "TLS_ECCPWD_WITH_AES_128_CCM_SHA256", openssl_name: None, kx: KeyExchange::Eccpwd, auth: Authentication::Eccpwd, cipher: Cipher::Aes, key_bits: 128, mode: CipherMode::Ccm, mac: Mac::Aead, aead: true, forward_secrecy: true, export: false, min_version: ProtocolVersion::TLS1_2, status: RegistryStatus::Iana, reference: "rfc8492" },
    SuiteInfo { suite: CipherSuite(0xC0B3), iana_name: "TLS_ECCPWD_WITH_AES_256_CCM_SHA384", openssl_name: None, kx: KeyExchange::Eccpwd, auth: Authentication::Eccpwd, cipher: Cipher::Aes, key_bits: 256, mode: CipherMode::Ccm, mac: Mac::Aead, aead: true, forward_secrecy: true, export: false, min_version: ProtocolVersion::TLS1_2, status: RegistryStatus::Iana, reference: "rfc8492" },
    SuiteInfo { suite: CipherSuite(0xC0B4), iana_name: "TLS_SHA256_SHA256", openssl_name: None, kx: KeyExchange::Any, auth: Authentication::Any, cipher: Cipher::Null, key_bits: 0, mode: CipherMode::Null, mac: Mac::Sha256, aead: false, forward_secrecy: true, export: false, min_version: ProtocolVersion::TLS1_3, status: RegistryStatus::Iana, reference: "rfc9150" },
    SuiteInfo { suite: CipherSuite(0xC0B5), iana_name: "TLS_SHA384_SHA384", openssl_name: None, kx: KeyExchange::Any, auth: Authentication::Any, cipher: Cipher::Null, key_bits: 0, mode: CipherMode::Null, mac: Mac::Sha384, aead: false, forward_secrecy: true, export: false, min_version: ProtocolVersion::TLS1_3, status: RegistryStatus::Iana, reference: "rfc9150" },
    SuiteInfo { suite: CipherSuite(0xC100), iana_name: "TLS_GOSTR341112_256_WITH_KUZNYECHIK_CTR_OMAC", openssl_name: None, kx: KeyExchange::Gost, auth: Authentication::Gost, cipher: Cipher::Kuznyechik, key_bits: 256, mode: CipherMode::CtrOmac, mac: Mac::Omac, aead: false, forward_secrecy: false, export: false, min_version: ProtocolVersion::TLS1_2, status: RegistryStatus::Iana, reference: "rfc9189" },
    SuiteInfo { suite: CipherSuite(0xC101), iana_name: "TLS_GOSTR341112_256_WITH_MAGMA_CTR_OMAC", openssl_name: None, kx: KeyExchange::Gost, auth: Authentication::Gost, cipher: Cipher::Magma, key_bits: 256, mode: CipherMode::CtrOmac, mac: Mac::Omac, aead: false, forward_secrecy: false, export: false, min_version: ProtocolVersion::TLS1_2, status: RegistryStatus::Iana, reference: "rfc9189" },
    SuiteInfo { suite: CipherSuite(0xC102), iana_name: "TLS_GOSTR341112_256_WITH_28147_CNT_IMIT", openssl_name: Some("GOST2012-GOST8912-GOST8912"), kx: KeyExchange::Gost, auth: Authentication::Gost, cipher: Cipher::Gost28147, key_bits: 256, mode: CipherMode::CntImit, mac: Mac::Imit, aead: false, forward_secrecy: false, export: false, min_version: ProtocolVersion::TLS1_2, status: RegistryStatus::Iana, reference: "rfc9189" },
    SuiteInfo { suite: CipherSuite(0xC103), iana_name: "TLS_GOSTR341112_256_WITH_KUZNYECHIK_MGM_L", openssl_name: None, kx: KeyExchange::Any, auth: Authentication::Any, cipher: Cipher::Kuznyechik, key_bits: 256, mode: CipherMode::Mgm, mac: Mac::Aead, aead: true, forward_secrecy: true, export: false, min_version: ProtocolVersion::TLS1_3, status: RegistryStatus::Iana, reference: "rfc9367" },
    SuiteInfo { suite: CipherSuite(0xC104), iana_name: "TLS_GOSTR341112_256_WITH_MAGMA_MGM_L", openssl_name: None, kx: KeyExchange::Any, auth: Authentication::Any, cipher: Cipher::Magma, key_bits: 256, mode: CipherMode::Mgm, mac: Mac::Aead, aead: true, forward_secrecy: true, export: false, min_version: ProtocolVersion::TLS1_3, status: RegistryStatus::Iana, reference: "rfc9367" },
    SuiteInfo { suite: CipherSuite(0xC105), iana_name: "TLS_GOSTR341112_256_WITH_KUZNYECHIK_MGM_S", openssl_name: None, kx: KeyExchange::Any, auth: Authentication::Any, cipher: Cipher::Kuznyechik, key_bits: 256, mode: CipherMode::Mgm, mac: Mac::Aead, aead: true, forward_secrecy: true, export: false, min_version: ProtocolVersion::TLS1_3, status: RegistryStatus::Iana, reference: "rfc9367" },
    SuiteInfo { suite: CipherSuite(0xC106), iana_name: "TLS_GOSTR341112_256_WITH_MAGMA_MGM_S", openssl_name: None, kx: KeyExchange::Any, auth: Authentication::Any, cipher: Cipher::Magma, key_bits: 256, mode: CipherMode::Mgm, mac: Mac::Aead, aead: true, forward_secrecy: true, export: false, min_version: ProtocolVersion::TLS1_3, status: RegistryStatus::Iana, reference: "rfc9367" },
    SuiteInfo { suite: CipherSuite(0xCCA8), iana_name: "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256", openssl_name: Some("ECDHE-RSA-CHACHA20-POLY1305"), kx: KeyExchange::Ecdhe, auth: Authentication::Rsa, cipher: Cipher::Chacha20, key_bits: 256, mode: CipherMode::ChaCha20Poly1305, mac: Mac::Aead, aead: true, forward_secrecy: true, export: false, min_version: ProtocolVersion::TLS1_2, status: RegistryStatus::Iana, reference: "rfc7905" },
    SuiteInfo { suite: CipherSuite(0xCCA9), iana_name: "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", openssl_name: Some("ECDHE-ECDSA-CHACHA20-POLY1305"), kx: KeyExchange::Ecdhe, auth: Authentication::Ecdsa, cipher: Cipher::Chacha20, key_bits: 256, mode: CipherMode::ChaCha20Poly1305, mac: Mac::Aead, aead: true, forward_secrecy: true, export: false, min_version: ProtocolVersion::TLS1_2, status: RegistryStatus::Iana, reference: "rfc7905" },
    SuiteInfo { suite: CipherSuite(0xCCAA), iana_name: "TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256", openssl_name: Some("DHE-RSA-CHACHA20-POLY1305"), kx: KeyExchange::Dhe, auth: Authentication::Rsa, cipher: Cipher::Chacha20, key_bits: 256, mode: CipherMode::ChaCha20Poly1305, mac: Mac::Aead, aead: true, forward_secrecy: true, export: false, min_version: ProtocolVersion::TLS1_2, status: RegistryStatus::Iana, reference: "rfc7905" },
    SuiteInfo { suite: CipherSuite(0xCCAB), iana_name: "TLS_PSK_WITH_CHACHA20_POLY1305_SHA256", openssl_name: Some("PSK-CHACHA20-POLY1305"), kx: KeyExchange::Psk, auth: Authentication::Psk, cipher: Cipher::Chacha20, key_bits: 256, mode: CipherMode::ChaCha20Poly1305, mac: Mac::Aead, aead: true, forward_secrecy: false, export: false, min_version: ProtocolVersion::TLS1_2, status: RegistryStatus::Iana, reference: "rfc7905" },
    SuiteInfo { suite: CipherSuite(0xCCAC), iana_name: "TLS_ECDHE_PSK_WITH_CHACHA20_POLY1305_SHA256", openssl_name: Some("ECDHE-PSK-CHACHA20-POLY1305"), kx: KeyExchange::Ecdhe, auth: Authentication::Psk, cipher: Cipher::Chacha20, key_bits: 256, mode: CipherMode::ChaCha20Poly1305, mac: Mac::Aead, aead: true, forward_secrecy: true, export: false, min_version: ProtocolVersion::TLS1_2, status: RegistryStatus::Iana, reference: "rfc7905" },
    SuiteInfo { suite: CipherSuite(0xCCAD), iana_name: "TLS_DHE_PSK_WITH_CHACHA20_POLY1305_SHA256", openssl_name: Some("DHE-PSK-CHACHA20-POLY1305"), kx: KeyExchange::Dhe, auth: Authentication::Psk, cipher: Cipher::Chacha20, key_bits: 256, mode: CipherMode::ChaCha20Poly1305, mac: Mac::Aead, aead: true, forward_secrecy: true, export: false, min_version: ProtocolVersion::TLS1_2, status: RegistryStatus::Iana, reference: "rfc7905" },
    SuiteInfo { suite: CipherSuite(0xCCAE), iana_name: "TLS_RSA_PSK_WITH_CHACHA20_POLY1305_SHA256", openssl_name: Some("RSA-PSK-CHACHA20-POLY1305"), kx: KeyExchange::Rsa, auth: Authentication::Psk, cipher: Cipher::Chacha20, key_bits: 256, mode: CipherMode::ChaCha20Poly1305, mac: Mac::Aead, aead: true, forward_secrecy: false, export: false, min_version: ProtocolVersion::TLS1_2, status: RegistryStatus::Iana, reference: "rfc7905" },
    SuiteInfo { suite: CipherSuite(0xD001), iana_name: "TLS_ECDHE_PSK_WITH_AES_128_GCM_SHA256", openssl_name: None, kx: KeyExchange::Ecdhe, auth: Authentication::Psk, cipher: Cipher::Aes, key_bits: 128, mode: CipherMode::Gcm, mac: Mac::Aead, aead: true, forward_secrecy: true, export: false, min_version: ProtocolVersion::TLS1_2, status: RegistryStatus::Iana, reference: "rfc8442" },
    SuiteInfo { suite: CipherSuite(0xD002), iana_name: "TLS_ECDHE_PSK_WITH_AES_256_GCM_SHA384", openssl_name: None, kx: KeyExchange::Ecdhe, auth: Authentication::Psk, cipher: Cipher::Aes, key_bits: 256, mode: CipherMode::Gcm, mac: Mac::Aead, aead: true, forward_secrecy: true, export: false, min_version: ProtocolVersion::TLS1_2, status: RegistryStatus::Iana, reference: "rfc8442" },
    SuiteInfo { suite: CipherSuite(0xD003), iana_name: "TLS_ECDHE_PSK_WITH_AES_128_CCM_8_SHA256", openssl_name: None, kx: KeyExchange::Ecdhe, auth: Authentication::Psk, cipher: Cipher::Aes, key_bits: 128, mode: CipherMode::Ccm8, mac: Mac::Aead, aead: true, forward_secrecy: true, export: false, min_version: ProtocolVersion::TLS1_2, status: RegistryStatus::Iana, reference: "rfc8442" },
    SuiteInfo { suite: CipherSuite(0xD005), iana_name: "TLS_ECDHE_PSK_WITH_AES_128_CCM_SHA256", openssl_name: None, kx: KeyExchange::Ecdhe, auth: Authentication::Psk, cipher: Cipher::Aes, key_bits: 128, mode: CipherMode::Ccm, mac: Mac::Aead, aead: true, forward_secrecy: true, export: false, min_version: ProtocolVersion::TLS1_2, status: RegistryStatus::Iana, reference: "rfc8442" },
];
