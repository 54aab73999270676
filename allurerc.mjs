// Allure 3 configuration (`npx allure generate <results> --config allurerc.mjs -o <dir>`).
// singleFile: one self-contained index.html, because the multi-file report's fetch() calls are
// refused on file:// ("Failed to fetch") — this one opens from disk, offline.
export default {
  name: "Conformance report (Allure)",
  plugins: {
    awesome: {
      options: {
        singleFile: true,
        reportName: "Conformance report (Allure)",
        reportLanguage: "en",
        groupBy: ["epic", "feature", "story"],
      },
    },
  },
};
