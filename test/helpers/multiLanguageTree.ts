import type { TreeSpec } from './contextFixtures.js';

const lines = (...text: string[]): string => `${text.join('\n')}\n`;

/**
 * A tree of the languages real repositories hold beyond the usual few (issue
 * 16: git, redis, Juice Shop, vue core), each file written to exercise its
 * language's comment rules: line and block comments, nested and multi-line
 * ones, POD and `__END__` in Perl, long brackets in Lua, indented comment
 * blocks in Pug, `<# #>` in PowerShell, embedded template/script/style
 * sections in Vue, comment markers inside strings. Plus the files cloc
 * leaves out (empty, unknown names, dense Latin-1) and extensions it decides
 * specially (`CMakeLists.txt`, `*.sh.in`, `.vcxproj.filters`, `.manifest`).
 * `copies` repeats the tree under `copyN/` with small variations, so the
 * totals are large enough that an off-by-one per file would show.
 *
 * @example await writeTree(dir, multiLanguageTree(2))
 */
export function multiLanguageTree(copies = 1): TreeSpec {
  const tree: Record<string, string | Uint8Array> = {};
  for (let copy = 0; copy < copies; copy++) {
    const prefix = copies === 1 ? '' : `copy${copy}/`;
    for (const [file, content] of Object.entries(oneCopy(copy))) tree[`${prefix}${file}`] = content;
  }
  return tree;
}

function oneCopy(n: number): Record<string, string | Uint8Array> {
  const extra = (line: string): string => Array.from({ length: n }, () => line).join('\n');
  return {
    'tools/report.pl': lines(
      '#!/usr/bin/perl',
      'use strict;',
      '# a comment',
      'my $x = 1; # trailing',
      '',
      '=head1 NAME',
      '',
      'report - the docs',
      '',
      '=cut',
      'sub main { print "# not a comment\\n"; }',
      extra('print "more";'),
      'main();',
      '__END__',
      'data after end',
      'more data',
    ),
    'lib/Report/Util.pm': lines('package Report::Util;', '# comment', '  # indented comment', 'sub f { return 1 }', '', '1;'),
    'scripts/build.tcl': lines('#!/usr/bin/env tclsh', '# comment', 'set x 1 ;# trailing', '', 'proc f {} {', '    # inner', '    return 1', '}', extra('puts "x"')),
    'CMakeLists.txt': lines('cmake_minimum_required(VERSION 3.10)', '# comment', 'project(demo) # trailing', '', '#[[ bracket', 'comment ]]', 'add_executable(demo main.c)', extra('message("x")')),
    'cmake/Find.cmake': lines('# find module', 'set(FOUND TRUE)', ''),
    'config.cmake.in': lines('# template', 'set(VERSION @VERSION@)'),
    'po/de.po': lines('# German translation.', '#, fuzzy', '#: src/main.c:10', 'msgid ""', 'msgstr ""', '', '#. extracted', 'msgid "Hello"', 'msgstr "Hallo"', extra('# extra translator comment')),
    'docs/guide.adoc': lines('= Guide', '// a comment', '', '////', 'block comment', '////', 'Some text.', '//// one-line ////', 'More text.', extra('* item')),
    'docs/intro.asciidoc': lines('== Intro', 'text', '// note'),
    'web/App.vue': lines(
      '<template>',
      '  <!-- a template comment -->',
      '  <div>{{ msg }}</div>',
      '  <!-- multi',
      '  line -->',
      '</template>',
      '',
      '<script>',
      '// script comment',
      'export default {',
      '  /* block',
      '     comment */',
      '  data() { return { msg: "a // b" }; },',
      '};',
      '</script>',
      '',
      '<style scoped>',
      '/* style comment */',
      '.a { color: red; }',
      '</style>',
      extra('<!-- tail -->'),
    ),
    'scripts/init.lua': lines('-- comment', 'local x = 1 -- trailing', '--[[ long', 'comment ]]', '--[==[ level', 'two ]==]', 'print(x)', '', extra('print("--[[ not")')),
    'contracts/Token.sol': lines('// SPDX-License-Identifier: MIT', 'pragma solidity ^0.8.0;', '/** natspec', ' * doc', ' */', 'contract Token {', '  uint x; // trailing', '  string s = "/* not */";', '}', extra('// more')),
    'views/index.pug': lines('doctype html', 'html', '  //', '    a block comment', '    still comment', '  body', '    // line comment', '    p Hello //- not removed', '    //- silent', '    p World', extra('    p x')),
    'scripts/setup.bat': lines('@echo off', 'rem a comment', 'REM upper comment', ':: label comment', 'set X=1', '', 'echo %X%', extra('echo more')),
    'scripts/setup.cmd': lines('rem comment', 'echo hi'),
    'scripts/deploy.ps1': lines('# comment', '<# block', 'comment #>', '$x = 1 # trailing', '', 'function F {', '  <# inline #> return 1', '}', extra('Write-Host "x"')),
    'meson.build': lines("project('demo', 'c')", '# comment', "executable('demo', 'main.c')"),
    'configure.ac': lines('dnl comment', 'AC_INIT([demo], [1.0])', '# hash comment', 'AC_OUTPUT'),
    'contrib/completion.zsh': lines('#!/bin/zsh', '# comment', 'compdef _demo demo', ''),
    'scripts/run.sh.in': lines('#!/bin/sh', '# comment', 'echo @VERSION@'),
    'win/demo.vcxproj.filters': lines('<?xml version="1.0"?>', '<!-- comment -->', '<Project>', '</Project>'),
    'win/demo.manifest': lines('<?xml version="1.0"?>', '<assembly>', '<!-- c -->', '</assembly>'),
    'docs/style.xsl': lines('<?xml version="1.0"?>', '<xsl:stylesheet version="1.0">', '<!-- comment', 'over lines -->', '<xsl:template match="/"/>', '</xsl:stylesheet>'),
    'views/card.hbs': lines('{{!-- a long', 'comment --}}', '{{! short }}', '<div>{{title}}</div>', '<!-- html comment -->', extra('<p>x</p>')),
    'img/logo.svg': lines('<svg xmlns="http://www.w3.org/2000/svg">', '<!-- drawn -->', '<rect/>', '</svg>'),
    'data/points.csv': lines('a,b', '1,2', '', '3,4'),
    'src/main.c': lines('#include <stdio.h>', '/* comment */', 'int main(void) { // trailing', '  return 0;', '}'),
    'src/app.py': lines('#!/usr/bin/env python3', '"""Docstring."""', 'x = 1  # trailing', '', 'def f():', "    '''doc", "    more'''", '    return x'),
    'lib/tool.rb': lines('# comment', 'puts 1', '=begin', 'doc', '=end', 'puts 2'),
    'src/index.ts': lines('// comment', 'export const a = 1;', '/* b */ export const b = 2;'),
    'src/legacy.pl': lines('% Prolog, by content', 'parent(tom, bob).', 'ancestor(X, Y) :- parent(X, Y).'),
    'src/Program.cs': lines('using System;', '// comment', 'namespace Demo {', '  public class P { }', '}'),
    // Extensions cloc decides by content, and languages with routines of their own.
    'ios/View.m': lines('#import <UIKit/UIKit.h>', '// comment', '@implementation View', '- (void)load { /* c */ }', '@end'),
    'matlab/solve.m': lines('% MATLAB comment', 'function x = solve(a)', '  x = [1 2 3];', '  %{', '  block', '  %}', 'end'),
    'julia/fit.jl': lines('# comment', 'function fit(x)', '    #= block', '    comment =#', '    return x', 'end'),
    'build.gradle': lines("// comment", "apply plugin: 'java'", "def p = 'src/*.java' // glob", '/* block */', 'dependencies {', '}'),
    'src/App.groovy': lines('class App {', '  // comment', '  def s = "a/*b" + "c"', '  /* block', '   */', '}'),
    'fortran/solver.f90': lines('! comment', 'program solver', '!$omp parallel', '  x = 1 ! trailing', 'end program solver'),
    'fortran/old.f': lines('C     comment', '      PROGRAM OLD', '*     star comment', '      END'),
    'ocaml/main.ml': lines('(* comment (* nested *) still *)', 'let x = 1 (* trailing *)', 'let s = "(* not *)"', '(* open', 'close *)', 'let () = print_int x'),
    'lib/app.ex': lines('defmodule App do', '  @moduledoc """', '  Docs.', '  """', '  # comment', '  def f, do: 1', 'end'),
    'notebooks/a.ipynb': lines('{', ' "cells": [', '  {', '   "cell_type": "code",', '   "execution_count": 1,', '   "metadata": {},', '   "outputs": [],', '   "source": [', '    "# comment\\n",', '    "x = 1\\n",', '    "\\n",', '    "print(x)"', '   ]', '  }', ' ],', ' "nbformat": 4', '}'),
    'hw/counter.v': lines('// counter', 'module counter(input clk);', '  always @(posedge clk) begin', '  end', 'endmodule'),
    'fs/Lib.fs': lines('module Lib', '// comment', '(* block *)', 'let f x = x + 1'),
    'hs/Main.hs': lines('{-# LANGUAGE GADTs #-}', '-- comment', '{- block', '   {- inner -} still', '-}', 'main = print 1 -- trailing', 'x = 2 {- c -} + 3'),
    'elm/Main.elm': lines('module Main exposing (main)', '{- outer {- nested -}', 'still comment -}', '-- line', 'main = text "hi"'),
    'puppet/web.pp': lines('# manifest', "class web {", "  package { 'nginx': ensure => installed }", "  service { 'nginx': ensure => running }", '}'),
    'pascal/calc.pp': lines('program Calc;', '{ comment }', 'begin', "  writeln('hi'); // trailing", '(* block *)', 'end.'),
    'php/header.inc': lines('<?php', '// comment', '# hash', 'echo "hi";', '?>'),
    'd/app.d': lines('import std.stdio;', '// comment', '/+ nested /+ doc +/ +/', 'void main() { writeln("hi"); }'),
    'init/service.d': lines('#!/bin/sh', '# init script', 'echo start'),
    'web/index.jsp': lines('<%-- page comment --%>', '<%@ page language="java" %>', '<!-- html comment -->', '<%-- multi', 'line --%>', '<% int x = 1; // java comment %>', '<p><%= x %></p>'),
    'grails/show.gsp': lines('<%-- comment --%>', '<html>', '<!-- c -->', '<g:each in="${items}">${it} // not</g:each>', '</html>'),
    'templates/page.vm': lines('## line comment', '#* block', 'comment *#', '<p>$name</p>', '<!-- html -->', '#if($x) yes #end'),
    'README': lines('A readme cloc never counts.'),
    'notes.txt': lines('plain text', '', 'more'),
    'empty.js': '',
    'data/unknown.xyz': lines('no language'),
    'backup.c~': lines('int x;'),
    // Dense Latin-1: text to git, binary to cloc (Perl's -B).
    'docs/latin1.txt': Buffer.from(`${'àéîõü çñ '.repeat(40)}\n`, 'latin1'),
  };
}
