import * as federation from '@apollo/federation-internals';
import {
  ERRORS,
  Variable,
  typenameFieldName,
  type CompositeType,
  type FieldSelection,
  type NamedType,
  type Operation,
  type Schema,
  type SelectionSet,
  type Type,
} from '@apollo/federation-internals';
import type { GraphQLError } from 'graphql';

// Bound once: the package re-exports them through getters, and shaping calls them for every value.
const { isCompositeType, isCustomScalarType, isEnumType, isListType, isNonNullType, isObjectType, isSubtype } = federation;
// A constant, not the package's getter, which shaping read for every object.
const TYPENAME = typenameFieldName;

/**
 * The last step of federated execution: the merged subgraph data shaped into the answer the
 * operation asked for (aliases, __typename, fragments on the runtime type, @skip/@include, null
 * propagation for non-null fields, leaf values checked). This is @apollo/gateway's computeResponse
 * (resultShaping.js, 2.14), rule for rule, on a form of the operation compiled once: the original
 * walks Apollo's operation objects for every value of every request, looking up directives, names
 * and types each time, which was a third of the gateway's busy time on the deep benchmark query.
 */

/** A @skip or @include on a selection: a constant or a variable's name. */
interface Condition {
  include: boolean;
  value: boolean | string;
}

type CompiledSet = readonly CompiledSelection[];

type CompiledSelection =
  | {
      kind: 'field';
      conditions: readonly Condition[];
      responseName: string;
      isTypename: boolean;
      isIntrospection: boolean;
      /** The original selection, for introspection, which is answered from the schema. */
      selection: FieldSelection;
      type: Type;
      selectionSet: CompiledSet | undefined;
    }
  | { kind: 'fragment'; conditions: readonly Condition[]; typeCondition: CompositeType | undefined; selectionSet: CompiledSet };

const OK = 0;
const NULL_BUBBLE_UP = 1;

export class ResultShaper {
  private readonly schema: Schema;
  private readonly root: CompiledSet;
  private readonly rootType: CompositeType;
  private readonly defaultedVariables: Record<string, unknown>;
  private readonly typesByName = new Map<string, NamedType | undefined>();
  private readonly subtypes = new Map<string, boolean>();
  private readonly newObject: () => Record<string, any>;
  private readonly leafChecks = new Map<Type, (value: unknown) => boolean>();

  constructor(operation: Operation) {
    this.schema = operation.schema();
    this.root = this.compile(operation.selectionSet);
    // Plain objects are what V8 builds and serialises fastest; only a prototype-less object keeps a
    // response name `__proto__` (an alias a caller may choose) as a field.
    this.newObject = namesProto(this.root) ? () => Object.create(null) : () => ({});
    this.rootType = this.schema.schemaDefinition.rootType(operation.rootKind)!;
    this.defaultedVariables = operation.collectDefaultedVariableValues();
  }

  /** As computeResponse: the shaped data (null when a null bubbled up to the root) and value errors. */
  shape(
    input: Record<string, any> | null | undefined,
    variables: Record<string, unknown>,
    introspect: (selection: FieldSelection) => unknown,
  ): { data: Record<string, any> | null | undefined; errors: GraphQLError[] } {
    if (!input) return { data: input, errors: [] };
    const run: Run = {
      variables: { __proto__: null, ...this.defaultedVariables, ...variables },
      errors: [],
      introspect,
      isInvalid: false,
      hasErrors: false,
    };
    const data = this.newObject();
    const result = this.applySelectionSet(run, input, this.root, data, [], this.rootType);
    return { data: result === NULL_BUBBLE_UP ? null : data, errors: run.errors };
  }

  private compile(selectionSet: SelectionSet): CompiledSet {
    const skip = this.schema.skipDirective();
    const include = this.schema.includeDirective();
    return selectionSet.selections().map((selection): CompiledSelection => {
      const element = selection.element;
      const conditions: Condition[] = [];
      for (const [directive, isInclude] of [
        [skip, false],
        [include, true],
      ] as const) {
        const applied = element.appliedDirectivesOf(directive)[0];
        if (!applied) continue;
        const condition = applied.arguments().if;
        conditions.push({ include: isInclude, value: condition instanceof Variable ? condition.name : (condition as boolean) });
      }
      if (selection.kind === 'FieldSelection') {
        const field = selection.element;
        return {
          kind: 'field',
          conditions,
          responseName: field.responseName(),
          isTypename: field.name === typenameFieldName,
          isIntrospection: field.definition.isSchemaIntrospectionField(),
          selection,
          type: field.definition.type!,
          selectionSet: selection.selectionSet ? this.compile(selection.selectionSet) : undefined,
        };
      }
      return {
        kind: 'fragment',
        conditions,
        typeCondition: selection.element.typeCondition,
        selectionSet: this.compile(selection.selectionSet),
      };
    });
  }

  private skipped(run: Run, conditions: readonly Condition[]): boolean {
    for (const condition of conditions) {
      let value = condition.value;
      if (typeof value === 'string') {
        const bound = run.variables[value];
        if (typeof bound !== 'boolean') throw new Error(`Unexpected value ${String(bound)} for variable $${value} of @skip or @include`);
        value = bound;
      }
      if (value !== condition.include) return true;
    }
    return false;
  }

  private type(name: string): NamedType | undefined {
    if (!this.typesByName.has(name)) this.typesByName.set(name, this.schema.type(name));
    return this.typesByName.get(name);
  }

  /**
   * isValidLeafValue for one leaf type, with the type's questions answered once: the original asks
   * the schema for its built-in types on every value, and tests an integer by printing it and
   * matching the text (a string per Int value); an integer below 1e21 in magnitude is exactly a
   * number whose text matches (above, the text is in exponent form).
   */
  private leafCheck(type: Type): (value: unknown) => boolean {
    let check = this.leafChecks.get(type);
    if (check === undefined) {
      check = leafValueCheck(this.schema, type);
      this.leafChecks.set(type, check);
    }
    return check;
  }

  private isSubtype(typeCondition: CompositeType, type: NamedType): boolean {
    const key = `${typeCondition.name}\u0000${type.name}`;
    let answer = this.subtypes.get(key);
    if (answer === undefined) {
      answer = isSubtype(typeCondition, type);
      this.subtypes.set(key, answer);
    }
    return answer;
  }

  private applySelectionSet(
    run: Run,
    input: Record<string, any>,
    selections: CompiledSet,
    output: Record<string, any>,
    path: (string | number)[],
    parentType: CompositeType,
  ): number {
    for (const selection of selections) {
      if (selection.conditions.length && this.skipped(run, selection.conditions)) continue;
      if (selection.kind === 'field') {
        const { responseName } = selection;
        const outputValue = output[responseName];
        if (selection.isIntrospection) {
          if (outputValue === undefined) output[responseName] = run.introspect(selection.selection);
          continue;
        }
        let inputValue = Object.prototype.hasOwnProperty.call(input, responseName) ? (input[responseName] ?? null) : null;
        if (selection.isTypename) {
          if (outputValue === undefined) {
            if (inputValue === null && responseName !== TYPENAME) inputValue = input[TYPENAME] ?? null;
            const type = inputValue !== null && typeof inputValue === 'string' ? (this.type(inputValue) ?? parentType) : parentType;
            if (!isObjectType(type)) return NULL_BUBBLE_UP;
            output[responseName] = type.name;
          }
          continue;
        }
        path.push(responseName);
        output[responseName] = this.updateOutputValue(
          run,
          outputValue,
          selection.type,
          inputValue,
          selection.selectionSet,
          path,
          parentType,
        );
        path.pop();
        if (run.isInvalid) return NULL_BUBBLE_UP;
      } else {
        const typename = input[TYPENAME];
        if (typename && typeof typename !== 'string') throw new Error(`Got unexpected value for __typename: ${typename}`);
        const condition = selection.typeCondition;
        let applies = true;
        if (condition) {
          const type = typename ? this.type(typename) : parentType;
          applies = !!type && this.isSubtype(condition, type);
        }
        if (
          applies &&
          this.applySelectionSet(run, input, selection.selectionSet, output, path, condition ?? parentType) === NULL_BUBBLE_UP
        ) {
          return NULL_BUBBLE_UP;
        }
      }
    }
    return OK;
  }

  /**
   * computeResponse's updateOutputValue: the value to put in the output. Its two flags (the value
   * makes its parent invalid; errors were reported below it) are left in `run.isInvalid` and
   * `run.hasErrors` rather than returned in an object, which was one allocation per value shaped.
   * Read them right after the call: the next call overwrites them.
   */
  private updateOutputValue(
    run: Run,
    outputValue: any,
    type: Type,
    inputValue: any,
    selectionSet: CompiledSet | undefined,
    path: (string | number)[],
    parentType: CompositeType,
  ): any {
    run.isInvalid = false;
    run.hasErrors = false;
    if (outputValue === null || (outputValue !== undefined && !selectionSet)) return outputValue;
    if (isNonNullType(type)) {
      const updated = this.updateOutputValue(run, outputValue, type.ofType, inputValue, selectionSet, path, parentType);
      if (updated === null) {
        if (!run.hasErrors) {
          run.errors.push(
            ERRORS.INVALID_GRAPHQL.err(`Cannot return null for non-nullable ${describeLast(path, type.ofType, parentType)}.`, {
              path: Array.from(path),
            }),
          );
        }
        run.isInvalid = true;
        run.hasErrors = true;
        return updated;
      }
      run.isInvalid = false;
      run.hasErrors = false;
      return updated;
    }
    if (inputValue === null) return null;
    if (isListType(type)) {
      if (!Array.isArray(inputValue)) throw new Error(`Invalid non-list value ${inputValue} returned by subgraph for list type ${type}`);
      const outputList: any[] | undefined = outputValue;
      const length = inputValue.length;
      if (outputList !== undefined && outputList.length !== length) throw new Error(`[${inputValue}].length !== [${outputList}].length`);
      let shouldNullify = false;
      let hasErrors = false;
      const updated: any[] = new Array(length);
      for (let index = 0; index < length; index++) {
        path.push(index);
        updated[index] = this.updateOutputValue(
          run,
          outputList === undefined ? undefined : outputList[index],
          type.ofType,
          inputValue[index],
          selectionSet,
          path,
          parentType,
        );
        path.pop();
        shouldNullify ||= run.isInvalid;
        hasErrors ||= run.hasErrors;
      }
      run.isInvalid = false;
      run.hasErrors = hasErrors;
      return shouldNullify ? null : updated;
    }
    if (isCompositeType(type)) {
      if (!selectionSet) throw new Error(`Invalid empty selection set for composite type ${type}`);
      if (typeof inputValue !== 'object')
        throw new Error(`Invalid non-object value ${inputValue} returned by subgraph for composite type ${type}`);
      const inputTypename = inputValue[TYPENAME];
      let objectType: CompositeType = type;
      if (inputTypename) {
        const typenameType = this.type(inputTypename);
        if (!typenameType || !isCompositeType(typenameType)) {
          run.errors.push(
            ERRORS.INVALID_GRAPHQL.err(`Invalid __typename found for object at ${describeLast(path, type, parentType)}.`, {
              path: Array.from(path),
            }),
          );
          run.hasErrors = true;
          return null;
        }
        objectType = typenameType;
      }
      const outputObject = outputValue === undefined ? this.newObject() : outputValue;
      const hasErrors = this.applySelectionSet(run, inputValue, selectionSet, outputObject, path, objectType) === NULL_BUBBLE_UP;
      // The fields shaped inside left their own flags: this value's are set again.
      run.isInvalid = false;
      run.hasErrors = hasErrors;
      return hasErrors ? null : outputObject;
    }
    const valid = this.leafCheck(type)(inputValue);
    if (!valid) {
      run.errors.push(
        ERRORS.INVALID_GRAPHQL.err(`Invalid value found for ${describeLast(path, type, parentType)}.`, { path: Array.from(path) }),
      );
    }
    run.hasErrors = !valid;
    return valid ? inputValue : null;
  }
}

function leafValueCheck(schema: Schema, type: Type): (value: unknown) => boolean {
  if (isCustomScalarType(type)) return () => true;
  const isBoolean = type === schema.booleanType();
  const isInt = type === schema.intType();
  const isIntOrId = isInt || type === schema.idType();
  const isFloat = type === schema.floatType();
  const enumType = isEnumType(type) ? type : undefined;
  return (value) => {
    if (typeof value === 'boolean') return isBoolean;
    if (typeof value === 'number' && isFinite(value)) {
      if (isIntOrId) return Number.isInteger(value) && Math.abs(value) < 1e21;
      return isFloat;
    }
    if (typeof value === 'string') {
      if (enumType) return enumType.value(value) !== undefined;
      return !isBoolean && !isInt && !isFloat;
    }
    return false;
  };
}

/** Whether any response name in the selections, at any depth, is `__proto__`. */
function namesProto(selections: CompiledSet): boolean {
  return selections.some((selection) =>
    selection.kind === 'field'
      ? selection.responseName === '__proto__' || (selection.selectionSet !== undefined && namesProto(selection.selectionSet))
      : namesProto(selection.selectionSet),
  );
}

interface Run {
  variables: Record<string, any>;
  errors: GraphQLError[];
  introspect: (selection: FieldSelection) => unknown;
  /** Set by every updateOutputValue call: the value it returned makes its parent null. */
  isInvalid: boolean;
  /** Set by every updateOutputValue call: an error was reported for the value or inside it. */
  hasErrors: boolean;
}

function describeLast(path: readonly (string | number)[], currentType: Type, parentType: CompositeType): string {
  const element = path[path.length - 1];
  return typeof element === 'string' ? `field ${parentType}.${element}` : `array element of type ${currentType} at index ${element}`;
}
