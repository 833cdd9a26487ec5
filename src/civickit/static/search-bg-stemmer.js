/*
 * civickit: the Bulgarian stemmer of the book's search, on the query side.
 *
 * It applies BULGARIAN_STEM_RULES, the rule table of civickit/search_bg.py, which the build writes
 * into language_data.js before this code (with Sphinx's Porter stemmer as PorterStemmer). Python
 * applies the same table to the index, so a query word and the words of a page meet in one stem.
 * Keep stemWord in step with stem_bulgarian in search_bg.py (tests/test_search_bg.py compares them).
 */
var BulgarianStemmer = function (rules) {
  var unchanged = new Set(rules.unchanged);
  var cyrillic = new RegExp(rules.cyrillic);
  var steps = rules.steps.map(function (step) {
    return {
      repeat: Boolean(step.repeat),
      rules: step.rules.map(function (rule) { return [new RegExp(rule[0]), rule[1]]; }),
    };
  });

  this.applies = function (word) {
    return cyrillic.test(word);
  };

  this.stemWord = function (word) {
    if (unchanged.has(word)) return word;
    steps.forEach(function (step) {
      var changed = true;
      while (changed) {
        changed = false;
        for (var i = 0; i < step.rules.length; i++) {
          var pattern = step.rules[i][0];
          if (!pattern.test(word)) continue;
          var result = word.replace(pattern, step.rules[i][1]);
          if (result.length < rules.min_stem) continue;
          changed = step.repeat && result.length < word.length;
          word = result;
          break;
        }
      }
    });
    return word;
  };
};

/* The Stemmer searchtools.js uses: Bulgarian rules for Cyrillic words, Porter for the others. */
var Stemmer = function () {
  var bulgarian = new BulgarianStemmer(BULGARIAN_STEM_RULES);
  var english = new PorterStemmer();
  this.stemWord = function (word) {
    return bulgarian.applies(word) ? bulgarian.stemWord(word) : english.stemWord(word);
  };
};
