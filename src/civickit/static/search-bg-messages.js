/*
 * civickit: Bulgarian for the messages of the book's search page and highlighting. Sphinx's Bulgarian
 * catalogue (_static/translations.js) has them empty, so the results came without a heading and
 * without the count. Loaded after translations.js (civickit.search_bg adds it with a later priority).
 */
if (typeof Documentation !== "undefined" && Documentation.addTranslations) {
  Documentation.addTranslations({
    locale: "bg",
    plural_expr: "(n != 1)",
    messages: {
      "Searching": "Търсене",
      "Preparing search...": "Подготовка на търсенето…",
      "Search Results": "Резултати от търсенето",
      "Search finished, found ${resultCount} page(s) matching the search query.":
        "Търсенето приключи. Намерени страници: ${resultCount}.",
      "Your search did not match any documents. Please make sure that all words are spelled correctly and that you've selected enough categories.":
        "Няма страници, които отговарят на търсенето. Проверете как са изписани думите или опитайте с по-малко думи.",
      "Hide Search Matches": "Скрий откритите думи",
    },
  });
}
